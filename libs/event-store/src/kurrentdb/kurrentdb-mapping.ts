import { assertStreamId, checkBatchSize, checkPosition, DEFAULT_BATCH_SIZE, validateAppend as validateCommonAppend } from '../append-validation.js';
/**
 * Pure mapping between the event-store port and KurrentDB (no I/O, no runtime import of the client,
 * so it is unit-tested without a server). The adapter in `kurrentdb-event-store.ts` does the I/O.
 *
 * Decisions (each one is relied on by the adapter):
 *
 * - Stream names: our `case-<uuid>` is KurrentDB stream `<prefix>case-<uuid>`; the prefix lets tests
 *   (or several deployments) share one database. The command index of `commandId` X lives in
 *   `<prefix>$cmd-X`.
 * - Versions: our 1-based `version` = KurrentDB revision + 1. `expectedVersion: 0` is
 *   `streamState: NO_STREAM`, `n > 0` is `BigInt(n - 1)`. A client `WrongExpectedVersionError` whose
 *   `actualState` is `no_stream` means actual version 0, a revision `r` means `r + 1`.
 * - Global position: our `position` is the event's `$all` *commit position* as a JS number. Events
 *   appended through gRPC are written as implicitly committed prepares, whose `$all` position is
 *   (own log position, own log position), so it is unique per event, > 0 and strictly increasing in
 *   commit order; it is a byte offset, so positions are SPARSE (not 1, 2, 3...). Reading "after p"
 *   starts `$all` at {commit: p, prepare: p} (inclusive on KurrentDB) and drops the event at p; `upTo`
 *   is a plain comparison. Hence `after` must be 0 or a position this store handed out.
 * - Envelope: event `type` = our type; event `data` (JSON) = `{ data, personal }`; event metadata
 *   (JSON) = our metadata plus `schemaVersion` and `recordedAt` (and `commandId`, which the port's
 *   metadata already carries); KurrentDB event id = our `eventId`. Decoding takes `schemaVersion` and
 *   `recordedAt` back out, so the application's metadata round-trips unchanged.
 * - Hash chain: the hash covers the event's position, which KurrentDB assigns at commit, so no event
 *   of an append can carry its own hash (nor, past the first, its previous hash) when it is written.
 *   Each event's metadata carries `chain: { index }`, its place in its append (0, 1, 2...), and the
 *   first one also `previousHash`: the hash of the last event before the append, known because
 *   appends are serialised per process and read back. On read, `previousHash` of event `index > 0` is
 *   the hash of event `index - 1` of the same append (the previous version of the same stream), and
 *   every `hash` is computed from the event as read: `chainHash(previousHash, event)`. So the stored
 *   links are the ones between appends; a changed event shows at the start of the NEXT append, as
 *   a `previous-hash-mismatch`. Events written before the chain existed (no `chain` key) read with
 *   `previousHash` = genesis, which a verifier reports.
 * - Store identity: the first event of `<prefix>$store-identity` holds `{ storeId }`.
 */
import { createHash } from 'node:crypto';
import type { ErrorType, NO_STREAM, Position, START } from '@kurrent/kurrentdb-client';
import { chainHash, GENESIS_HASH } from '../audit/canonical.js';
import { EventStoreError, STREAM_ID_PATTERN, WrongExpectedVersionError } from '../event-store.port.js';
import type {
  AppendOptions,
  AppendResult,
  JsonObject,
  NewEvent,
  NewEventMetadata,
  RecordedEvent,
} from '../event-store.port.js';

// --- constants (typed against the client's declarations, without importing it at runtime) -------

export const KURRENT_NO_STREAM: typeof NO_STREAM = 'no_stream';
export const KURRENT_START: typeof START = 'start';

/** The `type` discriminants of the client's command errors that the adapter translates. */
export const KURRENT_ERROR = {
  wrongExpectedVersion: 'wrong-expected-version' satisfies `${ErrorType.WRONG_EXPECTED_VERSION}`,
  streamNotFound: 'stream-not-found' satisfies `${ErrorType.STREAM_NOT_FOUND}`,
  streamDeleted: 'stream-deleted' satisfies `${ErrorType.STREAM_DELETED}`,
  streamTombstoned: 'stream-tombstoned' satisfies `${ErrorType.STREAM_TOMBSTONED}`,
  maxAppendSize: 'maximum-append-size-exceeded' satisfies `${ErrorType.MAXIMUM_APPEND_SIZE_EXCEEDED}`,
  recordSize: 'append-record-size-exceeded' satisfies `${ErrorType.APPEND_RECORD_SIZE_EXCEEDED}`,
  transactionSize: 'transaction-max-size-exceeded' satisfies `${ErrorType.TRANSACTION_MAX_SIZE_EXCEEDED}`,
  invalidArgument: 'invalid-argument' satisfies `${ErrorType.INVALID_ARGUMENT}`,
} as const;

/** Type of the marker events in the command index streams. */
export const COMMAND_RECORDED_TYPE = 'CommandRecorded';
const COMMAND_STREAM_INFIX = '$cmd-';
/** Type of the one event of the store identity stream. */
export const STORE_IDENTITY_TYPE = 'StoreIdentityCreated';
const STORE_IDENTITY_STREAM = '$store-identity';
/** Metadata key of an event's place in the hash chain (reserved: the application's metadata must not use it). */
export const CHAIN_METADATA_KEY = 'chain';
const HASH_PATTERN = /^[0-9a-f]{64}$/;

export const MAX_STREAM_ID_LENGTH = 200;
const MAX_PREFIX_LENGTH = 100;
/** Letters, digits, `_`, `.`, `:` and `-`, starting with a letter or digit (never `$`: that is KurrentDB's system space). */
const STREAM_PREFIX_PATTERN = /^(?:[A-Za-z0-9][A-Za-z0-9_.:-]*)?$/;
/** KurrentDB event ids are UUIDs and come back lower-case: only the canonical form round-trips. */
export const EVENT_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** The "no position" marker of servers that do not report positions on stream reads (u64::MAX). */
const NO_POSITION = 0xffff_ffff_ffff_ffffn;

// --- stream names --------------------------------------------------------------------------------

export function checkStreamPrefix(prefix: unknown): string {
  if (typeof prefix !== 'string' || prefix.length > MAX_PREFIX_LENGTH || !STREAM_PREFIX_PATTERN.test(prefix)) {
    throw new RangeError(
      `streamPrefix must be at most ${MAX_PREFIX_LENGTH} letters, digits, '_', '.', ':' or '-' starting with a letter or digit, got ${JSON.stringify(prefix)}`,
    );
  }
  return prefix;
}

export function toKurrentStreamName(prefix: string, streamId: string): string {
  return prefix + streamId;
}

/** Our stream id for a KurrentDB stream name, or null when the stream is not one of ours (other prefix, `$`-streams, index streams). */
export function fromKurrentStreamName(prefix: string, streamName: string): string | null {
  if (!streamName.startsWith(prefix)) return null;
  const streamId = streamName.slice(prefix.length);
  return streamId.length <= MAX_STREAM_ID_LENGTH && STREAM_ID_PATTERN.test(streamId) ? streamId : null;
}

export function commandStreamName(prefix: string, commandId: string): string {
  return `${prefix}${COMMAND_STREAM_INFIX}${commandId}`;
}

/** `<prefix>$store-identity`: outside our streams (a `$`-name), like the command index. */
export function storeIdentityStreamName(prefix: string): string {
  return `${prefix}${STORE_IDENTITY_STREAM}`;
}

/** The storeId in the identity event's data, or null when it is not one. */
export function decodeStoreIdentity(data: unknown): string | null {
  if (!isPlainObject(data)) return null;
  const { storeId } = data;
  return typeof storeId === 'string' && EVENT_ID_PATTERN.test(storeId) ? storeId : null;
}

/**
 * Server-side `$all` filter (on the stream name) for our event streams: `^<prefix><category>-`.
 * It leaves out every `$`-stream: system streams, metadata streams (`$$...`), projection link
 * streams (`$ce-...`) and the command index (`<prefix>$cmd-...`).
 */
export function ourStreamsRegex(prefix: string): string {
  return `^${prefix.replace(/[\\^$.*+?()[\]{}|-]/g, '\\$&')}[a-z][a-z0-9_]*-`;
}

/** `$`-types are KurrentDB's own (`$metadata`, `$streamDeleted`, links `$>`...), never ours. */
export function isSystemEventType(type: string): boolean {
  return type.startsWith('$');
}

// --- versions and positions ----------------------------------------------------------------------

export function versionToRevision(version: number): bigint {
  if (!Number.isSafeInteger(version) || version < 1) throw new RangeError(`a stream version is a positive integer, got ${version}`);
  return BigInt(version - 1);
}

export function revisionToVersion(revision: bigint): number {
  if (revision < 0n || revision >= BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`KurrentDB revision ${revision} has no stream version`);
  }
  return Number(revision) + 1;
}

export type KurrentExpectedState = typeof NO_STREAM | bigint;

export function expectedVersionToStreamState(expectedVersion: number): KurrentExpectedState {
  if (!Number.isSafeInteger(expectedVersion) || expectedVersion < 0) {
    throw new RangeError(`expectedVersion must be a non-negative integer, got ${expectedVersion}`);
  }
  return expectedVersion === 0 ? KURRENT_NO_STREAM : versionToRevision(expectedVersion);
}

/** Our version for a client `CurrentStreamState` (`no_stream` or a revision); undefined for anything else. */
export function currentStateToVersion(state: unknown): number | undefined {
  if (state === KURRENT_NO_STREAM) return 0;
  if (typeof state === 'bigint' && state >= 0n && state < BigInt(Number.MAX_SAFE_INTEGER)) return Number(state) + 1;
  return undefined;
}

/** Our `position` for a KurrentDB `$all` position: its commit position (see the header). */
export function positionToNumber(position: Position | undefined): number {
  if (position === undefined || position.commit === NO_POSITION || position.commit < 0n) {
    throw new EventStoreError(
      'STORE_UNAVAILABLE',
      'KurrentDB returned an event without its $all position (needs KurrentDB / EventStoreDB 22.6 or later)',
    );
  }
  if (position.commit === 0n || position.commit > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new EventStoreError('STORE_UNAVAILABLE', `KurrentDB commit position ${position.commit} cannot be a port position`);
  }
  return Number(position.commit);
}

/** Where to start a forward `$all` read or subscription for "events after `after`". */
export function afterToReadPosition(after: number): typeof START | Position {
  if (!Number.isSafeInteger(after) || after < 0) throw new RangeError(`after must be a non-negative integer, got ${after}`);
  return after === 0 ? KURRENT_START : { commit: BigInt(after), prepare: BigInt(after) };
}

// --- recordedAt ----------------------------------------------------------------------------------

/** `now` as ISO UTC with milliseconds, never before `last` (the clock may step back). */
export function nextRecordedAt(now: Date, last: string | null): string {
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw new RangeError('the clock returned an invalid date');
  const iso = now.toISOString();
  return last !== null && last > iso ? last : iso;
}

// --- envelope ------------------------------------------------------------------------------------

/** What goes to `jsonEvent(...)`. */
export interface KurrentEventProposal {
  id: string;
  type: string;
  data: { data: JsonObject; personal: JsonObject | null };
  metadata: JsonObject;
}

/** The fields of a client `RecordedEvent` that decoding needs (the client's type is assignable to it). */
export interface KurrentStoredEvent {
  streamId: string;
  id: string;
  type: string;
  revision: bigint;
  isJson: boolean;
  data: unknown;
  metadata: unknown;
  position?: Position;
}

/**
 * An event's place in the hash chain as stored: its index in its append, and for index 0 the hash
 * of the event before the append (`null` otherwise; see the header).
 */
export interface StoredChainLink {
  index: number;
  previousHash: string | null;
}

/** The link of the `index`-th event of an append that follows the event hashed `previousHash`. */
export function chainLinkFor(index: number, previousHash: string): StoredChainLink {
  return index === 0 ? { index, previousHash } : { index, previousHash: null };
}

export function encodeEvent(event: NewEvent, recordedAt: string, link: StoredChainLink): KurrentEventProposal {
  return {
    id: event.eventId,
    type: event.type,
    data: { data: event.data, personal: event.personal },
    metadata: {
      ...(event.metadata as unknown as JsonObject),
      schemaVersion: event.schemaVersion,
      recordedAt,
      commandId: event.metadata.commandId,
      [CHAIN_METADATA_KEY]: link.index === 0 ? { index: 0, previousHash: link.previousHash } : { index: link.index },
    },
  };
}

/** A stored event before its place in the chain is resolved: the port's fields, without the hashes. */
export type UnchainedEvent = Omit<RecordedEvent, 'previousHash' | 'hash'>;

export interface DecodedEvent {
  event: UnchainedEvent;
  /** Null for an event written before the chain existed. */
  link: StoredChainLink | null;
}

/**
 * The event with its hashes. `predecessorHash` is the hash of the event before it in its append
 * (needed when `link.index > 0`; null when it could not be read, then the chain restarts from
 * genesis here, which a verifier reports).
 */
export function linkEvent(decoded: DecodedEvent, predecessorHash: string | null): RecordedEvent {
  const { event, link } = decoded;
  const previousHash = link === null ? GENESIS_HASH : link.index === 0 ? link.previousHash! : (predecessorHash ?? GENESIS_HASH);
  return { ...event, previousHash, hash: chainHash(previousHash, event) };
}

function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

function malformed(stored: KurrentStoredEvent, reason: string): EventStoreError {
  return new EventStoreError(
    'STORE_UNAVAILABLE',
    `event ${stored.id} in KurrentDB stream ${stored.streamId} is not a well-formed envelope: ${reason}`,
    { eventId: stored.id, streamName: stored.streamId, revision: stored.revision.toString() },
  );
}

function decodeChainLink(stored: KurrentStoredEvent, value: unknown): StoredChainLink | null {
  if (value === undefined) return null;
  if (!isPlainObject(value)) throw malformed(stored, 'metadata.chain is not an object');
  const { index, previousHash } = value;
  if (typeof index !== 'number' || !Number.isSafeInteger(index) || index < 0) throw malformed(stored, 'metadata.chain.index is missing');
  if (index > 0) return { index, previousHash: null };
  if (typeof previousHash !== 'string' || !HASH_PATTERN.test(previousHash)) {
    throw malformed(stored, 'metadata.chain.previousHash is not 64 lower-case hex digits');
  }
  return { index, previousHash };
}

/**
 * Our event (without its hashes, see `linkEvent`) for a stored KurrentDB event of one of our streams;
 * throws when it is not a well-formed envelope.
 */
export function decodeEvent(stored: KurrentStoredEvent, prefix: string): DecodedEvent {
  const streamId = fromKurrentStreamName(prefix, stored.streamId);
  if (streamId === null) throw malformed(stored, `stream is outside prefix ${JSON.stringify(prefix)}`);
  if (!stored.isJson) throw malformed(stored, 'not a JSON event');
  const body = stored.data;
  if (!isPlainObject(body) || !isPlainObject(body.data) || !(body.personal === null || isPlainObject(body.personal))) {
    throw malformed(stored, 'data is not { data: object, personal: object | null }');
  }
  if (!isPlainObject(stored.metadata)) throw malformed(stored, 'metadata is not a JSON object');
  const { schemaVersion, recordedAt, [CHAIN_METADATA_KEY]: chain, ...metadata } = stored.metadata;
  if (typeof schemaVersion !== 'number' || !Number.isSafeInteger(schemaVersion) || schemaVersion < 1) {
    throw malformed(stored, 'metadata.schemaVersion is missing');
  }
  if (typeof recordedAt !== 'string') throw malformed(stored, 'metadata.recordedAt is missing');
  const link = decodeChainLink(stored, chain);
  const event: UnchainedEvent = {
    streamId,
    version: revisionToVersion(stored.revision),
    position: positionToNumber(stored.position),
    eventId: stored.id,
    type: stored.type,
    schemaVersion,
    data: body.data,
    personal: body.personal as JsonObject | null,
    metadata: metadata as unknown as NewEventMetadata,
    recordedAt,
  };
  return { event, link };
}

// --- command index -------------------------------------------------------------------------------

/** The marker's data: the append result without `duplicate`. */
export function encodeCommandRecord(result: AppendResult): JsonObject {
  return {
    streamId: result.streamId,
    version: result.version,
    events: result.events.map((e) => ({ eventId: e.eventId, version: e.version, position: e.position })),
    recordedAt: result.recordedAt,
  };
}

/** The earlier append's result (marked `duplicate`) from a marker's data. */
export function decodeCommandRecord(data: unknown, commandId: string): AppendResult {
  const bad = (): EventStoreError =>
    new EventStoreError('STORE_UNAVAILABLE', `the command index entry of ${commandId} is malformed`, { commandId });
  if (!isPlainObject(data) || !Array.isArray(data.events) || data.events.length === 0) throw bad();
  const { streamId, version, recordedAt } = data;
  if (typeof streamId !== 'string' || typeof version !== 'number' || typeof recordedAt !== 'string') throw bad();
  const events = data.events.map((e) => {
    if (!isPlainObject(e) || typeof e.eventId !== 'string' || typeof e.version !== 'number' || typeof e.position !== 'number') {
      throw bad();
    }
    return { eventId: e.eventId, version: e.version, position: e.position };
  });
  return { streamId, version, events, recordedAt, duplicate: true };
}

/**
 * The marker's event id, derived from the command id (RFC 9562 version 8 layout over SHA-256), so a
 * retried marker append is deduplicated by KurrentDB itself.
 */
export function commandMarkerId(commandId: string): string {
  const bytes = createHash('sha256').update(`kurrentdb-event-store:command:${commandId}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// --- error translation ---------------------------------------------------------------------------

/** The client's error discriminant (`CommandError.type`), by shape so that it survives module realms. */
export function clientErrorType(error: unknown): string | undefined {
  const type = (error as { type?: unknown } | null)?.type;
  return typeof error === 'object' && error !== null && typeof type === 'string' ? type : undefined;
}

export function isClientError(error: unknown, type: (typeof KURRENT_ERROR)[keyof typeof KURRENT_ERROR]): boolean {
  return clientErrorType(error) === type;
}

/** Our actual version from a client `WrongExpectedVersionError`, when it says. */
export function actualVersionFromClientError(error: unknown): number | undefined {
  if (!isClientError(error, KURRENT_ERROR.wrongExpectedVersion)) return undefined;
  return currentStateToVersion((error as { actualState?: unknown }).actualState);
}

const INVALID_APPEND_TYPES: ReadonlySet<string> = new Set([
  KURRENT_ERROR.streamDeleted,
  KURRENT_ERROR.streamTombstoned,
  KURRENT_ERROR.maxAppendSize,
  KURRENT_ERROR.recordSize,
  KURRENT_ERROR.transactionSize,
  KURRENT_ERROR.invalidArgument,
]);

export interface TranslationContext {
  /** What the adapter was doing (`append`, `readStream`, `readAll`...), for the message. */
  operation: string;
  streamId?: string;
  expectedVersion?: number;
  /** Actual version found by the adapter when the client's error does not carry it. */
  actualVersion?: number;
}

/**
 * A client error as the port's error: `WrongExpectedVersionError` for a version conflict; INVALID_APPEND
 * for an append the server refuses as such (deleted stream, too large, bad argument); STORE_UNAVAILABLE
 * for the rest (connection, deadline, leader, access). EventStoreErrors pass through.
 */
export function translateClientError(error: unknown, context: TranslationContext): EventStoreError {
  if (error instanceof EventStoreError) return error;
  const type = clientErrorType(error);
  const message = (error as Error | null)?.message || String(error);
  if (type === KURRENT_ERROR.wrongExpectedVersion && context.streamId !== undefined && context.expectedVersion !== undefined) {
    // -1 only when neither the error nor the adapter could tell (the adapter looks it up).
    const actual = actualVersionFromClientError(error) ?? context.actualVersion ?? -1;
    return withCause(new WrongExpectedVersionError(context.streamId, context.expectedVersion, actual), error);
  }
  if (type !== undefined && INVALID_APPEND_TYPES.has(type) && context.operation === 'append') {
    return withCause(
      new EventStoreError('INVALID_APPEND', `KurrentDB refused the append to ${context.streamId ?? 'a stream'}: ${message}`, {
        streamId: context.streamId,
        kurrentError: type,
      }),
      error,
    );
  }
  return withCause(
    new EventStoreError('STORE_UNAVAILABLE', `KurrentDB ${context.operation} failed: ${message}`, {
      ...(context.streamId === undefined ? {} : { streamId: context.streamId }),
      kurrentError: type ?? null,
    }),
    error,
  );
}

function withCause<E extends Error>(error: E, cause: unknown): E {
  (error as E & { cause?: unknown }).cause = cause;
  return error;
}

// --- validation: the rules shared by every adapter, plus KurrentDB's own ----------------------------

/** KurrentDB stores only UUID event ids, reserves `$` types, and the adapter sets schemaVersion, recordedAt and the chain link. */
const kurrentRule = (event: NewEvent): string | null => {
  if (!EVENT_ID_PATTERN.test(event.eventId)) {
    return `eventId ${JSON.stringify(event.eventId)} is not a lower-case UUID (KurrentDB event ids are UUIDs)`;
  }
  if (typeof event.type === 'string' && isSystemEventType(event.type)) return `event ${event.eventId}: type ${event.type} starts with '$', reserved by KurrentDB`;
  const metadata = event.metadata as NewEventMetadata | undefined;
  if (isPlainObject(metadata) && ('schemaVersion' in metadata || 'recordedAt' in metadata || CHAIN_METADATA_KEY in metadata)) {
    return `event ${event.eventId}: metadata must not carry schemaVersion, recordedAt or chain (the store sets them)`;
  }
  return null;
};

export function validateAppend(events: NewEvent[], options: AppendOptions): void {
  validateCommonAppend(events, options, kurrentRule);
}

export { assertStreamId, checkBatchSize, checkPosition, DEFAULT_BATCH_SIZE };
