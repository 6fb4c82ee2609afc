/**
 * The event store port. Adapters (SQLite now; PostgreSQL and KurrentDB later) implement it,
 * and one contract suite checks them all. Events are opaque here: the store knows envelopes,
 * never domain types, so it can be shared by every bounded context.
 */

/** JSON-serialisable value, as stored. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** Metadata written by the application. `recordedAt` is absent on purpose: only the store sets it. */
export interface NewEventMetadata {
  /** Valid time: when it happened in the world (`YYYY-MM-DD` or ISO date-time with offset). */
  occurredOn: string;
  datePrecision: 'day' | 'month' | 'year';
  actor: string;
  source: JsonObject | null;
  verification: 'confirmed' | 'reported';
  commandId: string;
  correlationId: string;
  causationId: string | null;
}

export interface NewEvent {
  eventId: string;
  /** Stable type string, never a class name. */
  type: string;
  schemaVersion: number;
  /** Non-personal payload. */
  data: JsonObject;
  /** Personal data (names, birth dates, free text), kept apart so it can be encrypted and erased. */
  personal: JsonObject | null;
  metadata: NewEventMetadata;
}

export interface RecordedEvent extends NewEvent {
  streamId: string;
  /** 1-based position of the event inside its stream. */
  version: number;
  /** 1-based position in the global log; strictly increasing in commit order. */
  position: number;
  /** Transaction time (ISO 8601 UTC, millisecond precision), set by the store; non-decreasing along `position`. */
  recordedAt: string;
  /**
   * Hash chain over the global log (see `audit/canonical.ts`): `hash` of the event before this one in
   * position order, or `GENESIS_HASH` (64 zeros) for the first event. 64 lower-case hex digits.
   */
  previousHash: string;
  /** `chainHash(previousHash, this event as stored)`: SHA-256, 64 lower-case hex digits. */
  hash: string;
}

/** The last link of the hash chain: `{ position: 0, hash: GENESIS_HASH }` for an empty log. */
export interface ChainHead {
  position: number;
  hash: string;
}

export type EventStoreKind = 'sqlite' | 'postgres' | 'kurrentdb';

/** Which store this is: `storeId` is a random UUID made once, when the store's schema was created, and kept. */
export interface StoreIdentity {
  storeId: string;
  kind: EventStoreKind;
}

/**
 * The version the writer expects the stream to be at before the append.
 * `0` means the stream must not exist yet; `'any'` is deliberately absent: every append states a version.
 */
export type ExpectedVersion = number;

export interface AppendOptions {
  expectedVersion: ExpectedVersion;
  /** All events of one command share it; retrying the same commandId writes nothing and returns the first result. */
  commandId: string;
}

export interface AppendResult {
  streamId: string;
  /** Version of the stream after the append (the last event's version). */
  version: number;
  events: { eventId: string; version: number; position: number }[];
  recordedAt: string;
  /** True when this commandId had already been appended: nothing was written. */
  duplicate: boolean;
}

export interface ReadAllOptions {
  /** Exclusive: events with position > after. Use 0 to start from the beginning. */
  after: number;
  batchSize?: number;
  /** Inclusive upper bound on position (used to replay the log as it stood at a position). */
  upTo?: number;
}

export interface ReadStreamsOptions {
  /** Only streams whose id starts with this (e.g. `case-`); every stream when absent. */
  prefix?: string;
  /** Inclusive upper bound on position: each stream as it stood when the log's head was there. */
  upTo?: number;
  batchSize?: number;
}

export interface EventStore {
  append(streamId: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult>;
  /** The result of an earlier append with this commandId (marked `duplicate`), or null: lets a retry answer without deciding again. */
  findCommand(commandId: string): Promise<AppendResult | null>;
  /** All events of a stream in version order; an unknown stream reads as []. */
  readStream(streamId: string): Promise<RecordedEvent[]>;
  /** The global log in position order, streamed in batches (never all in memory). */
  readAll(options: ReadAllOptions): AsyncIterable<RecordedEvent[]>;
  /**
   * Every stream, one after another, each whole and in version order (the order among streams is the
   * store's own): batches of at most `batchSize` events; a stream may continue into the next batch.
   * For rebuilds, which then handle one stream at a time and write each read-model row once.
   * Optional: a store that cannot read its streams in bulk leaves it out, and callers use `readAll`.
   */
  readStreams?(options: ReadStreamsOptions): AsyncIterable<RecordedEvent[]>;
  /** Position of the last committed event (0 when empty). */
  headPosition(): Promise<number>;
  /**
   * Position and hash of the last committed event (`{ position: 0, hash: GENESIS_HASH }` when empty).
   * Record it somewhere else from time to time: only an external copy of the head catches a
   * tamperer who rewrote the whole tail of the log, hashes included.
   */
  headHash(): Promise<ChainHead>;
  /** The store's identity (optional in the port; every adapter here implements it). */
  identity?(): Promise<StoreIdentity>;
  /**
   * Follows the global log from a checkpoint: yields batches already stored after `after`, then waits
   * for new ones. Ends when `signal` aborts.
   */
  follow(options: { after: number; batchSize?: number; signal: AbortSignal }): AsyncIterable<RecordedEvent[]>;
  /** Round-trip to the storage (for health checks). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Token for dependency injection; the port stays framework-free. */
export const EVENT_STORE = Symbol('EventStore');

export type EventStoreErrorCode =
  | 'WRONG_EXPECTED_VERSION'
  | 'INVALID_STREAM_ID'
  | 'INVALID_APPEND'
  | 'STORE_UNAVAILABLE';

export class EventStoreError extends Error {
  constructor(
    readonly code: EventStoreErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'EventStoreError';
  }
}

export class WrongExpectedVersionError extends EventStoreError {
  constructor(
    readonly streamId: string,
    readonly expectedVersion: number,
    readonly actualVersion: number,
  ) {
    super('WRONG_EXPECTED_VERSION', `stream ${streamId} is at version ${actualVersion}, expected ${expectedVersion}`, {
      streamId,
      expectedVersion,
      actualVersion,
    });
    this.name = 'WrongExpectedVersionError';
  }
}

/** Stream ids are `<category>-<id>`: letters, digits, `-`, `_`, `.`, at most 200 characters. */
export const STREAM_ID_PATTERN = /^[a-z][a-z0-9_]*-[A-Za-z0-9][A-Za-z0-9._-]{0,190}$/;
