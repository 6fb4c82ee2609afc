/**
 * KurrentDB (formerly EventStoreDB) adapter of the event-store port, over the gRPC client
 * `@kurrent/kurrentdb-client`. The pure half of the mapping (names, versions, positions, envelope,
 * errors) is in `kurrentdb-mapping.ts`, with its decisions written down there. In short:
 *
 * - stream `case-<uuid>` is KurrentDB stream `<prefix>case-<uuid>`; version = revision + 1;
 *   expectedVersion 0 = NO_STREAM, n = revision n - 1;
 * - position = the event's `$all` commit position (unique and strictly increasing for events
 *   appended through gRPC, but SPARSE: byte offsets, not a dense 1, 2, 3 counter);
 * - data = `{ data, personal }`, metadata = ours + `schemaVersion`, `recordedAt`, `commandId`;
 *   event id = our eventId.
 *
 * Port guarantees that hold here: optimistic concurrency per stream (enforced by KurrentDB), atomic
 * appends of one command, stream order, `$all` order = commit order with strictly increasing
 * positions, batched `readAll` with `after`/`upTo`, `follow` from a checkpoint, and idempotency by
 * `commandId` via the command index below.
 *
 * Differences from the SQLite reference adapter:
 * - positions are sparse, and `after` must be 0 or a position this store handed out (it is turned
 *   into a KurrentDB `$all` position to start reading from);
 * - `recordedAt` comes from `now()` of the writing process and never goes backwards within one
 *   process (appends are serialised per process, and the first append seeds the high-water mark from
 *   the log); with several writer processes whose clocks disagree it can go backwards along the log;
 * - eventIds must be lower-case UUIDs, and KurrentDB does not make them unique across streams: an
 *   eventId already used in another stream is accepted, not refused as INVALID_APPEND;
 * - idempotency by commandId relies on a second write (see `append`), so it has a crash window;
 * - every append costs up to four round trips (command lookup, append, read-back of the positions,
 *   command index entry);
 * - the database should hold only this application's streams, or the store should get a prefix:
 *   `$all` is filtered to streams named `<prefix><category>-...`.
 * - with the empty prefix the command index streams are `$cmd-...`, KurrentDB system streams,
 *   so the connection needs a user allowed to write system streams (an admin by default; reading
 *   `$all` needs one anyway).
 *
 * Hash chain (the layout is in `kurrentdb-mapping.ts`). KurrentDB assigns positions at commit and the
 * hash covers the position, so the adapter cannot store each event's hash; it stores, in the first
 * event of every append, the hash of the event before the append (and each event's index in its
 * append), and computes every `previousHash`/`hash` on read. Inside the per-process serialised
 * append step it appends, reads the events back (their positions) and keeps the hash of the last
 * one for the next append; the first append of a process seeds it from the log. Limits, as with
 * `recordedAt`:
 * - the chain holds only with ONE writer process per prefix: a second process appending at the same
 *   time links its append to the event it last knew, so a verifier reports a
 *   `previous-hash-mismatch` at the first interleaved append (a break that is not tampering);
 * - an append whose events were committed but could not be read back leaves the head unknown: the
 *   next append seeds it again from the log;
 * - hashes are computed on read, so each event verifies on its own (`verifyEvent`) by construction;
 *   what is checked is the link between appends: a changed or removed event shows at the first
 *   event of the following append (KurrentDB events are immutable: changing one means deleting or
 *   truncating streams and writing again). Reading an event in the middle of an append (readAll or
 *   follow starting there) costs one extra stream read for the append's earlier events.
 * - positions are sparse: verify with `verifyChain(..., { densePositions: false })`.
 *
 * Identity: `identity()` reads the first event of `<prefix>$store-identity`, and writes it (expected
 * state NO_STREAM, so racing processes agree on the first one) when the stream does not exist yet:
 * the identity is made by the first call, not when the database was created.
 */
import { randomUUID } from 'node:crypto';
import {
  BACKWARDS,
  END,
  FORWARDS,
  jsonEvent,
  KurrentDBClient,
  NO_STREAM,
  START,
  streamNameFilter,
} from '@kurrent/kurrentdb-client';
import type {
  AllStreamResolvedEvent,
  AllStreamSubscription,
  Filter,
  Position,
  ReadPosition,
  ResolvedEvent,
} from '@kurrent/kurrentdb-client';
import { EventStoreError, WrongExpectedVersionError } from '../event-store.port.js';
import type {
  AppendOptions,
  AppendResult,
  ChainHead,
  EventStore,
  NewEvent,
  ReadAllOptions,
  RecordedEvent,
  StoreIdentity,
} from '../event-store.port.js';
import { GENESIS_HASH } from '../audit/canonical.js';
import {
  actualVersionFromClientError,
  afterToReadPosition,
  assertStreamId,
  chainLinkFor,
  checkBatchSize,
  checkPosition,
  checkStreamPrefix,
  COMMAND_RECORDED_TYPE,
  commandMarkerId,
  commandStreamName,
  decodeCommandRecord,
  decodeEvent,
  decodeStoreIdentity,
  encodeCommandRecord,
  encodeEvent,
  expectedVersionToStreamState,
  fromKurrentStreamName,
  isClientError,
  isSystemEventType,
  KURRENT_ERROR,
  linkEvent,
  nextRecordedAt,
  ourStreamsRegex,
  positionToNumber,
  revisionToVersion,
  STORE_IDENTITY_TYPE,
  storeIdentityStreamName,
  toKurrentStreamName,
  translateClientError,
  validateAppend,
  versionToRevision,
} from './kurrentdb-mapping.js';
import type { DecodedEvent, KurrentStoredEvent } from './kurrentdb-mapping.js';

/** The last event linked so far in a forward read: an event in the middle of an append continues from it. */
interface ChainCursor {
  streamId: string;
  version: number;
  hash: string;
}

/** Carried through a forward read (and from `follow`'s catch-up into its subscription). */
interface ChainState {
  cursor: ChainCursor | null;
}

export interface KurrentDbEventStoreOptions {
  /** e.g. `kurrentdb://admin:changeit@localhost:2113?tls=false`. */
  connectionString: string;
  /** Prepended to every stream name (lets tests, or deployments, share one database); default ''. */
  streamPrefix?: string;
  /** Clock for `recordedAt` (defaults to `() => new Date()`). */
  now?: () => Date;
}

/** How often a follower's queue may grow past its batch size before the subscription is paused. */
const FOLLOW_HIGH_WATER_BATCHES = 2;
/** Attempts (and the pauses between them) for the steps after an append's events are committed. */
const COMPLETION_RETRY_DELAYS_MS = [100, 400];
/** How long `follow` waits for a subscription to cancel when it ends. */
const UNSUBSCRIBE_TIMEOUT_MS = 1000;
/** Page size when looking backwards for the last event of ours. */
const LAST_EVENT_PAGE = 32;

export class KurrentDbEventStore implements EventStore {
  /** The same as `new KurrentDbEventStore(options)`, for async call sites (the client connects lazily). */
  static async open(options: KurrentDbEventStoreOptions): Promise<KurrentDbEventStore> {
    return new KurrentDbEventStore(options);
  }

  private readonly client: KurrentDBClient;
  private readonly prefix: string;
  private readonly now: () => Date;
  private closed = false;
  /** Highest recordedAt this process wrote (null until seeded from the log by the first append). */
  private lastRecordedAt: string | null = null;
  /** Hash of the last event of the log, as this process knows it (the next append links to it). */
  private chainHead: string = GENESIS_HASH;
  /** Whether `lastRecordedAt` and `chainHead` are known; false until the first append seeds them from the log. */
  private headSeeded = false;
  private storeId: string | null = null;
  /** Serialises the append step, so that in one process commit order = recordedAt order. */
  private writeQueue: Promise<unknown> = Promise.resolve();
  /** Appends in flight by commandId: a concurrent retry in this process waits for the first. */
  private readonly inFlight = new Map<string, Promise<AppendResult>>();
  /** Wake-ups of followers waiting for events; fired on close. */
  private readonly waiters = new Set<() => void>();

  constructor(options: KurrentDbEventStoreOptions) {
    if (typeof options?.connectionString !== 'string' || options.connectionString.length === 0) {
      throw new EventStoreError('STORE_UNAVAILABLE', 'KurrentDbEventStore needs a connectionString');
    }
    this.prefix = checkStreamPrefix(options.streamPrefix ?? '');
    this.now = options.now ?? (() => new Date());
    try {
      this.client = KurrentDBClient.connectionString(options.connectionString);
    } catch (error) {
      throw translateClientError(error, { operation: 'connect' });
    }
  }

  // --- append & commands ------------------------------------------------------------------------

  /**
   * Idempotency by commandId. KurrentDB itself only deduplicates the same event ids at the same
   * expected revision; the port also wants `findCommand` and "a retried commandId returns the first
   * result, even with a stale expected version or rebuilt events". So each successful append is
   * followed by a marker event in `<prefix>$cmd-<commandId>` (expected state NO_STREAM, event id
   * derived from the commandId) holding the AppendResult, and every append looks there first.
   *
   * Window: the events and the marker are two writes. A crash (or an error that outlasts the retries)
   * between them leaves a written command without an index entry; its retry then either hits
   * KurrentDB's own event-id idempotency (same events, same expected version: nothing is written, the
   * marker is completed and the first result returned as a duplicate) or fails with
   * WrongExpectedVersion (stale version or rebuilt events). Likewise two processes racing with the same
   * commandId can see a WrongExpectedVersion instead of the duplicate, if the loser looks before the
   * winner's marker exists; within one process the second waits for the first.
   */
  async append(streamId: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult> {
    this.assertOpen();
    assertStreamId(streamId);
    validateAppend(events, options);
    const { commandId } = options;

    const pending = this.inFlight.get(commandId);
    if (pending !== undefined) {
      const first = await pending.catch(() => null);
      if (first !== null) return { ...first, duplicate: true };
    }

    const attempt = this.appendOnce(streamId, events, options);
    this.inFlight.set(commandId, attempt);
    try {
      return await attempt;
    } finally {
      if (this.inFlight.get(commandId) === attempt) this.inFlight.delete(commandId);
    }
  }

  async findCommand(commandId: string): Promise<AppendResult | null> {
    this.assertOpen();
    if (typeof commandId !== 'string' || commandId.length === 0) return null;
    try {
      for await (const resolved of this.client.readStream(commandStreamName(this.prefix, commandId), {
        fromRevision: START,
        direction: FORWARDS,
        maxCount: 1,
      })) {
        if (resolved.event?.type === COMMAND_RECORDED_TYPE) return decodeCommandRecord(resolved.event.data, commandId);
      }
      return null;
    } catch (error) {
      if (isClientError(error, KURRENT_ERROR.streamNotFound)) return null;
      throw translateClientError(error, { operation: 'findCommand' });
    }
  }

  // --- reads ------------------------------------------------------------------------------------

  /** Unknown (and deleted) streams read as []. */
  async readStream(streamId: string): Promise<RecordedEvent[]> {
    this.assertOpen();
    assertStreamId(streamId);
    return this.readStreamEvents(toKurrentStreamName(this.prefix, streamId), START, undefined);
  }

  /**
   * Batches of exactly `batchSize` events (the last one may be smaller). Each batch is one or more
   * bounded `$all` reads (`maxCount`), filtered on the server to our streams; the log is over when a
   * read brings nothing new.
   */
  async *readAll(options: ReadAllOptions): AsyncGenerator<RecordedEvent[], void, undefined> {
    this.assertOpen();
    const after = checkPosition(options.after, 'after');
    const batchSize = checkBatchSize(options.batchSize);
    const upTo = options.upTo === undefined ? Number.MAX_SAFE_INTEGER : checkPosition(options.upTo, 'upTo');
    yield* this.readAllFrom(after, upTo, batchSize, { cursor: null });
  }

  async headPosition(): Promise<number> {
    this.assertOpen();
    return (await this.lastEvent())?.event.position ?? 0;
  }

  /** The last event's position and hash (its hash is computed, see the header). */
  async headHash(): Promise<ChainHead> {
    this.assertOpen();
    const last = await this.lastLinkedEvent();
    return last === null ? { position: 0, hash: GENESIS_HASH } : { position: last.position, hash: last.hash };
  }

  /** The first event of `<prefix>$store-identity`, written by the first call when missing. */
  async identity(): Promise<StoreIdentity> {
    this.assertOpen();
    this.storeId ??= await this.readOrCreateIdentity();
    return { storeId: this.storeId, kind: 'kurrentdb' };
  }

  /**
   * Catches up with bounded `$all` reads (so batches are full while there is a backlog), then
   * subscribes to `$all` from the last position read (`subscribeToAll` starts after it) and yields
   * whatever has arrived, up to `batchSize` at a time. Ends (and unsubscribes) when `signal` aborts or
   * the store closes; a subscription dropped by the server ends it with STORE_UNAVAILABLE (the caller
   * restarts from its checkpoint).
   */
  async *follow(options: {
    after: number;
    batchSize?: number;
    signal: AbortSignal;
  }): AsyncGenerator<RecordedEvent[], void, undefined> {
    this.assertOpen();
    const { signal } = options;
    let after = checkPosition(options.after, 'after');
    const batchSize = checkBatchSize(options.batchSize);
    if (signal.aborted) return;

    const chain: ChainState = { cursor: null };
    try {
      for await (const batch of this.readAllFrom(after, Number.MAX_SAFE_INTEGER, batchSize, chain)) {
        if (signal.aborted || this.closed) return;
        after = batch[batch.length - 1]!.position;
        yield batch;
        if (signal.aborted || this.closed) return;
      }
    } catch (error) {
      if (signal.aborted || this.closed) return; // a read cut short by close() or the abort
      throw error;
    }
    if (signal.aborted || this.closed) return;

    const subscription = this.client.subscribeToAll({ fromPosition: afterToReadPosition(after), filter: this.filter() });
    const queue: AllStreamResolvedEvent[] = [];
    const highWater = batchSize * FOLLOW_HIGH_WATER_BATCHES;
    let failure: unknown;
    let ended = false;
    let wake: (() => void) | null = null;
    const notify = (): void => {
      const w = wake;
      wake = null;
      w?.();
    };
    const onData = (resolved: AllStreamResolvedEvent): void => {
      queue.push(resolved);
      if (queue.length >= highWater && !subscription.isPaused()) subscription.pause();
      notify();
    };
    const onError = (error: Error): void => {
      failure ??= error;
      notify();
    };
    const onEnd = (): void => {
      ended = true;
      notify();
    };
    subscription.on('data', onData);
    subscription.on('error', onError);
    subscription.on('end', onEnd);
    subscription.on('close', onEnd);
    signal.addEventListener('abort', notify);
    this.waiters.add(notify);

    try {
      while (!signal.aborted && !this.closed) {
        if (queue.length === 0) {
          if (failure !== undefined) throw translateClientError(failure, { operation: 'follow' });
          if (ended) throw new EventStoreError('STORE_UNAVAILABLE', 'the KurrentDB subscription to $all ended');
          // Registered in the same tick as the empty check: no event can slip in between.
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          continue;
        }
        const raw = queue.splice(0, batchSize);
        if (subscription.isPaused() && queue.length < highWater) subscription.resume();
        const decoded: DecodedEvent[] = [];
        for (const resolved of raw) {
          const event = this.ourEvent(resolved.event);
          if (event !== null && event.event.position > after) decoded.push(event);
        }
        const batch = await this.link(decoded, chain);
        if (batch.length > 0) {
          after = batch[batch.length - 1]!.position;
          yield batch;
        }
      }
    } finally {
      signal.removeEventListener('abort', notify);
      this.waiters.delete(notify);
      subscription.off('data', onData);
      subscription.off('end', onEnd);
      subscription.off('close', onEnd);
      // `onError` stays: a late error (e.g. the cancellation) must not become an unhandled 'error'.
      await unsubscribe(subscription);
    }
  }

  /** A one-event read of `$all` (also checks the credentials can read it). */
  async ping(): Promise<void> {
    this.assertOpen();
    try {
      for await (const resolved of this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 })) {
        void resolved;
      }
    } catch (error) {
      throw translateClientError(error, { operation: 'ping' });
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const wake of [...this.waiters]) wake();
    await this.client.dispose();
  }

  // --- internals: append ------------------------------------------------------------------------

  private async appendOnce(streamId: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult> {
    const { commandId, expectedVersion } = options;
    const previous = await this.findCommand(commandId);
    if (previous !== null) return previous;

    const streamName = toKurrentStreamName(this.prefix, streamId);
    let sentRecordedAt: string;
    let stored: RecordedEvent[];
    try {
      ({ sentRecordedAt, stored } = await this.serialised(async () => {
        if (!this.headSeeded) {
          const last = await this.lastLinkedEvent();
          this.lastRecordedAt = last?.recordedAt ?? null;
          this.chainHead = last?.hash ?? GENESIS_HASH;
          this.headSeeded = true;
        }
        const recordedAt = nextRecordedAt(this.now(), this.lastRecordedAt);
        const previousHash = this.chainHead;
        // Until the append is known to have failed or been read back, the head is unknown (an append
        // cut short by a lost connection may still have been committed): the next one seeds it again.
        this.headSeeded = false;
        let result: Awaited<ReturnType<KurrentDBClient['appendToStream']>>;
        try {
          result = await this.client.appendToStream(
            streamName,
            events.map((event, index) => jsonEvent(encodeEvent(event, recordedAt, chainLinkFor(index, previousHash)))),
            { streamState: expectedVersionToStreamState(expectedVersion) },
          );
        } catch (error) {
          if (isClientError(error, KURRENT_ERROR.wrongExpectedVersion)) this.headSeeded = true; // nothing written
          throw error;
        }
        if (!result.success) {
          this.headSeeded = true;
          // Only without throwOnAppendFailure (not set here); nextExpectedRevision is -1 for no stream.
          throw new WrongExpectedVersionError(
            streamId,
            expectedVersion,
            result.nextExpectedRevision < 0n ? 0 : revisionToVersion(result.nextExpectedRevision),
          );
        }
        this.lastRecordedAt = recordedAt;
        // Committed. Read the events back, still in the serialised step: their positions give their
        // hashes, and the last one is what the next append links to.
        const lastRevision = result.nextExpectedRevision;
        const stored = await this.afterCommit(streamId, commandId, 'read back the appended events', () =>
          this.readStreamEvents(streamName, versionToRevision(revisionToVersion(lastRevision) - events.length + 1), events.length),
        );
        if (stored.length !== events.length || stored.some((e, i) => e.eventId !== events[i]!.eventId)) {
          throw new EventStoreError(
            'STORE_UNAVAILABLE',
            `KurrentDB accepted the append to ${streamId} at revision ${lastRevision}, but reading it back does not show the appended events`,
            { streamId, commandId },
          );
        }
        // A deduplicated retry (see below) wrote nothing: the head stays where it was.
        if (stored[0]!.recordedAt === recordedAt) this.chainHead = stored[stored.length - 1]!.hash;
        this.headSeeded = true;
        return { sentRecordedAt: recordedAt, stored };
      }));
    } catch (error) {
      if (error instanceof EventStoreError && !(error instanceof WrongExpectedVersionError)) throw error;
      if (error instanceof WrongExpectedVersionError || isClientError(error, KURRENT_ERROR.wrongExpectedVersion)) {
        // A concurrent append of the same command (another process) may have won meanwhile.
        const winner = await this.findCommand(commandId);
        if (winner !== null) return winner;
        if (error instanceof WrongExpectedVersionError) throw error;
        const actualVersion = actualVersionFromClientError(error) ?? (await this.currentVersion(streamName));
        throw translateClientError(error, { operation: 'append', streamId, expectedVersion, actualVersion });
      }
      throw translateClientError(error, { operation: 'append', streamId, expectedVersion });
    }

    // The events are committed and were read back for their positions (the append response only
    // has the last one's); now write the command index entry.
    const result: AppendResult = {
      streamId,
      version: stored[stored.length - 1]!.version,
      events: stored.map((e) => ({ eventId: e.eventId, version: e.version, position: e.position })),
      recordedAt: stored[0]!.recordedAt,
      // KurrentDB deduplicated the same events at the same expected version (a retry after the crash
      // window above): what is stored is the first write, with its own recordedAt.
      duplicate: stored[0]!.recordedAt !== sentRecordedAt,
    };

    try {
      await this.afterCommit(streamId, commandId, 'write the command index entry', () =>
        this.client.appendToStream(
          commandStreamName(this.prefix, commandId),
          jsonEvent({
            id: commandMarkerId(commandId),
            type: COMMAND_RECORDED_TYPE,
            data: encodeCommandRecord(result),
            metadata: { commandId },
          }),
          { streamState: NO_STREAM },
        ),
      );
    } catch (error) {
      // Same id and NO_STREAM are deduplicated, so a conflict means another entry was there first.
      const cause = (error as { cause?: unknown }).cause;
      if (isClientError(cause, KURRENT_ERROR.wrongExpectedVersion)) {
        const existing = await this.findCommand(commandId);
        if (existing !== null) return existing;
      }
      throw error;
    }
    return result;
  }

  /**
   * A step after the events are committed: retried, and when it still fails the error says the
   * events ARE written (a retry of the same command with the same events and expected version
   * completes it, see `append`).
   */
  private async afterCommit<T>(streamId: string, commandId: string, what: string, step: () => Promise<T>): Promise<T> {
    let lastError: unknown;
    for (let attempt = 0; attempt <= COMPLETION_RETRY_DELAYS_MS.length; attempt++) {
      if (attempt > 0) await delay(COMPLETION_RETRY_DELAYS_MS[attempt - 1]!);
      try {
        return await step();
      } catch (error) {
        lastError = error;
        if (isClientError(error, KURRENT_ERROR.wrongExpectedVersion)) break;
      }
    }
    const error = new EventStoreError(
      'STORE_UNAVAILABLE',
      `the events of command ${commandId} were appended to ${streamId}, but the store could not ${what}: ${(lastError as Error)?.message ?? String(lastError)}`,
      { streamId, commandId, written: true },
    );
    (error as Error & { cause?: unknown }).cause = lastError;
    throw error;
  }

  private serialised<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.writeQueue.then(fn, fn);
    this.writeQueue = run.catch(() => undefined);
    return run;
  }

  /** Our version of a stream (0 when missing), for a conflict whose error did not say. */
  private async currentVersion(streamName: string): Promise<number> {
    try {
      for await (const resolved of this.client.readStream(streamName, { fromRevision: END, direction: BACKWARDS, maxCount: 1 })) {
        const event = resolved.event;
        if (event !== undefined) return revisionToVersion(event.revision);
      }
      return 0;
    } catch (error) {
      if (isClientError(error, KURRENT_ERROR.streamNotFound)) return 0;
      throw translateClientError(error, { operation: 'append' });
    }
  }

  // --- internals: reads -------------------------------------------------------------------------

  private async readStreamEvents(streamName: string, from: typeof START | bigint, maxCount: number | undefined): Promise<RecordedEvent[]> {
    return this.link(await this.readDecoded(streamName, from, maxCount), { cursor: null });
  }

  /** A stream's events as stored, without their hashes. */
  private async readDecoded(streamName: string, from: typeof START | bigint, maxCount: number | undefined): Promise<DecodedEvent[]> {
    const out: DecodedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(streamName, {
        fromRevision: from,
        direction: FORWARDS,
        ...(maxCount === undefined ? {} : { maxCount }),
      })) {
        const event = this.ourEvent(resolved.event);
        if (event !== null) out.push(event);
      }
    } catch (error) {
      if (isClientError(error, KURRENT_ERROR.streamNotFound) || isClientError(error, KURRENT_ERROR.streamDeleted)) return [];
      throw translateClientError(error, { operation: 'readStream', streamId: fromKurrentStreamName(this.prefix, streamName) ?? streamName });
    }
    return out;
  }

  private async *readAllFrom(
    after: number,
    upTo: number,
    batchSize: number,
    chain: ChainState,
  ): AsyncGenerator<RecordedEvent[], void, undefined> {
    let cursor = after;
    let batch: RecordedEvent[] = [];
    while (cursor < upTo) {
      this.assertOpen();
      const page = await this.readPage(cursor, batchSize - batch.length);
      let pastUpTo = false;
      const inRange: DecodedEvent[] = [];
      for (const event of page.events) {
        if (event.event.position > upTo) {
          pastUpTo = true;
          break;
        }
        inRange.push(event);
      }
      batch.push(...(await this.link(inRange, chain)));
      if (batch.length === batchSize) {
        yield batch;
        batch = [];
      }
      if (pastUpTo || page.lastSeen === null) break;
      cursor = page.lastSeen;
    }
    if (batch.length > 0) yield batch;
  }

  /**
   * Up to `count` of our events with position > `after`, in one bounded `$all` read, and the position
   * of the last record the read returned after `after` (null: nothing new, the log ends here).
   */
  private async readPage(after: number, count: number): Promise<{ events: DecodedEvent[]; lastSeen: number | null }> {
    // KurrentDB starts a forward read AT the given position (inclusive): one more for the event at `after`.
    const maxCount = after === 0 ? count : count + 1;
    const events: DecodedEvent[] = [];
    let lastSeen: number | null = null;
    try {
      for await (const resolved of this.client.readAll({
        fromPosition: afterToReadPosition(after),
        direction: FORWARDS,
        maxCount,
        filter: this.filter(),
      })) {
        const stored = resolved.event;
        if (stored === undefined) continue;
        const position = positionToNumber(stored.position);
        if (position <= after) continue;
        lastSeen = position;
        const event = this.ourEvent(stored);
        if (event !== null && events.length < count) events.push(event);
        if (events.length === count) break;
      }
    } catch (error) {
      throw translateClientError(error, { operation: 'readAll' });
    }
    return { events, lastSeen };
  }

  /** The last event of ours in `$all`, with its hashes (the chain head; the recordedAt high-water mark). */
  private async lastLinkedEvent(): Promise<RecordedEvent | null> {
    const last = await this.lastEvent();
    return last === null ? null : (await this.link([last], { cursor: null }))[0]!;
  }

  /** The last event of ours in `$all`, as stored (headPosition). */
  private async lastEvent(): Promise<DecodedEvent | null> {
    let from: ReadPosition = END;
    for (;;) {
      let read = 0;
      let oldest: Position | undefined;
      try {
        for await (const resolved of this.client.readAll({
          fromPosition: from,
          direction: BACKWARDS,
          maxCount: LAST_EVENT_PAGE,
          filter: this.filter(),
        })) {
          read += 1;
          const event = this.ourEvent(resolved.event);
          if (event !== null) return event;
          oldest = resolved.event?.position ?? oldest;
        }
      } catch (error) {
        throw translateClientError(error, { operation: 'headPosition' });
      }
      // A full page of records that are not ours (e.g. tombstones): go on below the oldest one.
      if (read < LAST_EVENT_PAGE || oldest === undefined) return null;
      from = oldest;
    }
  }

  /**
   * The events with their hashes, in the order given (a forward read: `$all` or a stream). An event
   * in the middle of an append continues from the previous one when that is its predecessor in the
   * append (the usual case), else from the append's earlier events, read from its stream.
   */
  private async link(decoded: DecodedEvent[], chain: ChainState): Promise<RecordedEvent[]> {
    const out: RecordedEvent[] = new Array(decoded.length);
    let cursor = chain.cursor;
    for (let i = 0; i < decoded.length; i++) {
      const d = decoded[i]!;
      let predecessor: string | null = null;
      if (d.link !== null && d.link.index > 0) {
        predecessor =
          cursor !== null && cursor.streamId === d.event.streamId && cursor.version === d.event.version - 1
            ? cursor.hash
            : await this.predecessorHash(d);
      }
      const event = linkEvent(d, predecessor);
      out[i] = event;
      cursor = { streamId: event.streamId, version: event.version, hash: event.hash };
    }
    chain.cursor = cursor;
    return out;
  }

  /** Hash of the event before `d` in its append, from the append's earlier events; null when they cannot be read. */
  private async predecessorHash(d: DecodedEvent): Promise<string | null> {
    const index = d.link!.index;
    const firstVersion = d.event.version - index;
    if (firstVersion < 1) return null;
    const before = await this.readDecoded(toKurrentStreamName(this.prefix, d.event.streamId), versionToRevision(firstVersion), index);
    if (before.length !== index || before.some((b, i) => b.link?.index !== i || b.event.version !== firstVersion + i)) return null;
    let hash: string | null = null;
    for (const b of before) hash = linkEvent(b, hash).hash;
    return hash;
  }

  private async readOrCreateIdentity(): Promise<string> {
    const streamName = storeIdentityStreamName(this.prefix);
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        for await (const resolved of this.client.readStream(streamName, { fromRevision: START, direction: FORWARDS, maxCount: 1 })) {
          const storeId = resolved.event?.type === STORE_IDENTITY_TYPE ? decodeStoreIdentity(resolved.event.data) : null;
          if (storeId !== null) return storeId;
          throw new EventStoreError('STORE_UNAVAILABLE', `the first event of ${streamName} is not a store identity`);
        }
      } catch (error) {
        if (!isClientError(error, KURRENT_ERROR.streamNotFound)) throw translateClientError(error, { operation: 'identity' });
      }
      if (attempt > 0) break;
      try {
        await this.client.appendToStream(
          streamName,
          jsonEvent({ type: STORE_IDENTITY_TYPE, data: { storeId: randomUUID(), kind: 'kurrentdb' } }),
          { streamState: NO_STREAM },
        );
      } catch (error) {
        // Another process wrote it first: read theirs.
        if (!isClientError(error, KURRENT_ERROR.wrongExpectedVersion)) throw translateClientError(error, { operation: 'identity' });
      }
    }
    throw new EventStoreError('STORE_UNAVAILABLE', `${streamName} holds no store identity`);
  }

  /** Our event for a stored one, or null when it is not one of ours (other prefix, `$`-stream or type). */
  private ourEvent(stored: KurrentStoredEvent | ResolvedEvent['event'] | undefined): DecodedEvent | null {
    if (stored === undefined || isSystemEventType(stored.type)) return null;
    if (fromKurrentStreamName(this.prefix, stored.streamId) === null) return null;
    return decodeEvent(stored, this.prefix);
  }

  private filter(): Filter {
    return streamNameFilter({ regex: ourStreamsRegex(this.prefix) });
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreError('STORE_UNAVAILABLE', 'the KurrentDB event store is closed');
  }
}

async function unsubscribe(subscription: AllStreamSubscription): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    subscription.unsubscribe().catch(() => undefined),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, UNSUBSCRIBE_TIMEOUT_MS);
      timer.unref();
    }),
  ]);
  clearTimeout(timer);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
