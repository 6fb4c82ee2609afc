/// <reference types="jest" />
/**
 * Behavioural contract of the EventStore port, shared by every adapter's spec:
 *
 *   describeEventStoreContract('SqliteEventStore', async ({ now }) => {
 *     const store = new SqliteEventStore({ filename: ':memory:', now });
 *     return { store, cleanup: () => store.close() };
 *   });
 *
 * `makeStore` is called once per test and must return a store over an EMPTY log. It receives a clock
 * the suite controls; an adapter whose `recordedAt` comes from a clock the suite cannot set (e.g. a
 * database server's) passes `{ injectableClock: false }` and the clock-specific test is replaced by a
 * weaker one.
 *
 * Not a spec file itself (no `.spec.ts`), so it only runs when an adapter's spec calls it.
 */
import { randomUUID } from 'node:crypto';
import { chainHash, GENESIS_HASH } from '../audit/canonical.js';
import { verifyChain, verifyEvent } from '../audit/verify-chain.js';
import { EventStoreError, WrongExpectedVersionError } from '../event-store.port.js';
import type {
  AppendResult,
  EventStore,
  EventStoreErrorCode,
  JsonObject,
  NewEvent,
  NewEventMetadata,
  RecordedEvent,
} from '../event-store.port.js';

export interface EventStoreHarness {
  store: EventStore;
  /** Closes the store and removes whatever the test created. */
  cleanup: () => Promise<void>;
}

export interface EventStoreContractContext {
  /** Clock controlled by the suite; adapters that can take an injected clock should use it for `recordedAt`. */
  now: () => Date;
}

export interface EventStoreContractOptions {
  /** Whether the store takes `recordedAt` from `context.now` (default true). */
  injectableClock?: boolean;
  /** How long a follower may take to see an append (default 5000 ms). */
  followTimeoutMs?: number;
  /** Whether positions are 1, 2, 3... (default true); KurrentDB's are sparse. */
  densePositions?: boolean;
  /** Whether the store implements the optional `readStreams` (default true). */
  readsStreams?: boolean;
}

/** A clock the tests move by hand (forwards and backwards). */
export class ManualClock {
  private current: number;

  constructor(start = '2024-03-01T10:00:00.000Z') {
    this.current = Date.parse(start);
  }

  readonly now = (): Date => new Date(this.current);

  set(iso: string): void {
    this.current = Date.parse(iso);
  }

  advance(ms: number): void {
    this.current += ms;
  }
}

// --- fixtures & helpers ------------------------------------------------------------------------

export function newStreamId(category = 'case'): string {
  return `${category}-${randomUUID()}`;
}

export function newEvent(commandId: string, overrides: Partial<Omit<NewEvent, 'metadata'>> & {
  metadata?: Partial<NewEventMetadata>;
} = {}): NewEvent {
  const { metadata, ...rest } = overrides;
  return {
    eventId: randomUUID(),
    type: 'CaseOpened',
    schemaVersion: 1,
    data: { caseNumber: `PP-${randomUUID().slice(0, 8)}` },
    personal: null,
    ...rest,
    metadata: {
      occurredOn: '2023-11-05',
      datePrecision: 'day',
      actor: 'user:analyst-1',
      source: null,
      verification: 'confirmed',
      commandId,
      correlationId: commandId,
      causationId: null,
      ...metadata,
    },
  };
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

/** Runs `fn` and returns what it threw or rejected with; fails when it succeeds. */
export async function caught(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

export async function expectStoreError(fn: () => unknown, code: EventStoreErrorCode): Promise<EventStoreError> {
  const error = await caught(fn);
  expect(error).toBeInstanceOf(EventStoreError);
  expect((error as EventStoreError).code).toBe(code);
  return error as EventStoreError;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves with `promise`, or rejects when it takes longer than `ms`. */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not done within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface Follower {
  readonly received: RecordedEvent[];
  readonly batchSizes: number[];
  readonly controller: AbortController;
  /** Settles when the follow loop ends. */
  readonly done: Promise<void>;
  waitFor(count: number, timeoutMs: number): Promise<void>;
  stop(timeoutMs?: number): Promise<void>;
}

/** Consumes `store.follow` in the background, recording what arrives. */
export function startFollowing(store: EventStore, options: { after: number; batchSize?: number }): Follower {
  const controller = new AbortController();
  const received: RecordedEvent[] = [];
  const batchSizes: number[] = [];
  const done = (async () => {
    for await (const batch of store.follow({ ...options, signal: controller.signal })) {
      batchSizes.push(batch.length);
      received.push(...batch);
    }
  })();
  let failure: unknown;
  done.catch((error: unknown) => {
    failure = error;
  });
  return {
    received,
    batchSizes,
    controller,
    done,
    async waitFor(count, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (failure !== undefined) throw failure;
        if (Date.now() > deadline) {
          throw new Error(`follower received ${received.length} events, expected ${count} within ${timeoutMs} ms`);
        }
        await sleep(5);
      }
    },
    async stop(timeoutMs = 2000) {
      controller.abort();
      await within(done, timeoutMs, 'follow after abort');
    },
  };
}

const ISO_MS_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function positionsOf(result: AppendResult): number[] {
  return result.events.map((e) => e.position);
}

// --- the suite ---------------------------------------------------------------------------------

export function describeEventStoreContract(
  name: string,
  makeStore: (context: EventStoreContractContext) => Promise<EventStoreHarness>,
  options: EventStoreContractOptions = {},
): void {
  const injectableClock = options.injectableClock ?? true;
  const followTimeoutMs = options.followTimeoutMs ?? 5000;
  const densePositions = options.densePositions ?? true;
  const readsStreams = options.readsStreams ?? true;

  describe(`EventStore contract: ${name}`, () => {
    let store: EventStore;
    let cleanup: () => Promise<void>;
    let clock: ManualClock;

    beforeEach(async () => {
      clock = new ManualClock();
      ({ store, cleanup } = await makeStore({ now: clock.now }));
    });

    afterEach(async () => {
      await cleanup();
    });

    /** Appends one command's events; the command id is generated. */
    async function appendNew(streamId: string, count: number, expectedVersion: number): Promise<AppendResult> {
      const commandId = randomUUID();
      const events = Array.from({ length: count }, (_, i) => newEvent(commandId, { data: { n: i } }));
      return store.append(streamId, events, { expectedVersion, commandId });
    }

    describe('empty store', () => {
      it('has head position 0, reads nothing, and an unknown stream reads as []', async () => {
        expect(await store.headPosition()).toBe(0);
        expect(await collect(store.readAll({ after: 0 }))).toEqual([]);
        expect(await store.readStream(newStreamId())).toEqual([]);
        await expect(store.ping()).resolves.toBeUndefined();
      });
    });

    describe('append and read', () => {
      it('round-trips every field of the events', async () => {
        const streamId = newStreamId('case');
        const commandId = randomUUID();
        const first = newEvent(commandId, {
          type: 'CaseOpened',
          schemaVersion: 2,
          data: {
            caseNumber: 'PP-2023-0042',
            tags: ['art. 280', 'pre-trial'],
            nested: { count: 3, ratio: 1.5, ok: true, nothing: null, empty: {} },
          },
          personal: { fullName: 'Анна Петрова', birthDate: '1990-01-31', note: 'quotes " \\ \n and emoji 🙂' },
          metadata: {
            occurredOn: '2023-05',
            datePrecision: 'month',
            actor: 'user:editor-7',
            source: { kind: 'court-record', url: 'https://example.org/decision/42', pages: [3, 4] },
            verification: 'reported',
            correlationId: randomUUID(),
            causationId: randomUUID(),
          },
        });
        const second = newEvent(commandId, {
          type: 'DetentionRecorded',
          data: { facility: 'SIZO-1' },
          personal: null,
          metadata: { occurredOn: '2023-06-01T08:30:00+03:00' },
        });

        const result = await store.append(streamId, [first, second], { expectedVersion: 0, commandId });

        expect(result.duplicate).toBe(false);
        expect(result.streamId).toBe(streamId);
        expect(result.version).toBe(2);
        expect(result.recordedAt).toBe(clock.now().toISOString());
        expect(result.events.map((e) => [e.eventId, e.version])).toEqual([
          [first.eventId, 1],
          [second.eventId, 2],
        ]);
        expect(result.events[1]!.position).toBeGreaterThan(result.events[0]!.position);
        expect(result.events[0]!.position).toBeGreaterThan(0);

        const firstFields = { ...first, streamId, version: 1, position: result.events[0]!.position, recordedAt: result.recordedAt };
        const secondFields = { ...second, streamId, version: 2, position: result.events[1]!.position, recordedAt: result.recordedAt };
        const firstHash = chainHash(GENESIS_HASH, firstFields);
        const expected: RecordedEvent[] = [
          { ...firstFields, previousHash: GENESIS_HASH, hash: firstHash },
          { ...secondFields, previousHash: firstHash, hash: chainHash(firstHash, secondFields) },
        ];
        const read = await store.readStream(streamId);
        expect(read).toStrictEqual(expected);
        expect((await collect(store.readAll({ after: 0 }))).flat()).toStrictEqual(expected);
        // The stored metadata is the application's; recordedAt is not injected into it.
        expect(read[0]!.metadata).not.toHaveProperty('recordedAt');

        // Reads hand out copies: mutating them does not change the log.
        (read[0]!.data as JsonObject).caseNumber = 'tampered';
        expect((await store.readStream(streamId))[0]!.data).toStrictEqual(first.data);
      });

      it('numbers versions per stream and positions globally, in append order', async () => {
        const a = newStreamId('case');
        const b = newStreamId('prisoner');
        const results = [
          await appendNew(a, 2, 0),
          await appendNew(b, 1, 0),
          await appendNew(a, 1, 2),
          await appendNew(b, 2, 1),
        ];
        expect(results.map((r) => r.version)).toEqual([2, 1, 3, 3]);
        expect(results.map((r) => r.events.map((e) => e.version))).toEqual([[1, 2], [1], [3], [2, 3]]);

        const appendedPositions = results.flatMap(positionsOf);
        for (let i = 1; i < appendedPositions.length; i++) {
          expect(appendedPositions[i]!).toBeGreaterThan(appendedPositions[i - 1]!);
        }

        const all = (await collect(store.readAll({ after: 0 }))).flat();
        expect(all.map((e) => e.eventId)).toEqual(results.flatMap((r) => r.events.map((e) => e.eventId)));
        expect(all.map((e) => e.position)).toEqual(appendedPositions);
        expect(all.map((e) => `${e.streamId}@${e.version}`)).toEqual([
          `${a}@1`,
          `${a}@2`,
          `${b}@1`,
          `${a}@3`,
          `${b}@2`,
          `${b}@3`,
        ]);
        expect((await store.readStream(a)).map((e) => e.version)).toEqual([1, 2, 3]);
        expect((await store.readStream(b)).map((e) => e.position)).toEqual([
          ...positionsOf(results[1]!),
          ...positionsOf(results[3]!),
        ]);
      });

      it('reports the head position as the position of the last committed event', async () => {
        expect(await store.headPosition()).toBe(0);
        const r1 = await appendNew(newStreamId(), 3, 0);
        expect(await store.headPosition()).toBe(r1.events[2]!.position);
        const r2 = await appendNew(newStreamId(), 1, 0);
        expect(await store.headPosition()).toBe(r2.events[0]!.position);
        expect(r2.events[0]!.position).toBeGreaterThan(r1.events[2]!.position);
      });
    });

    describe('hash chain', () => {
      const HEX64 = /^[0-9a-f]{64}$/;

      async function readLog(): Promise<RecordedEvent[]> {
        return (await collect(store.readAll({ after: 0 }))).flat();
      }

      it('links every event to the one before it, from genesis, also inside a multi-event append', async () => {
        const a = newStreamId('case');
        const b = newStreamId('prisoner');
        await appendNew(a, 1, 0);
        await appendNew(b, 3, 0);
        await appendNew(a, 2, 1);
        await appendNew(b, 1, 3);
        const all = await readLog();
        expect(all).toHaveLength(7);
        expect(all[0]!.previousHash).toBe(GENESIS_HASH);
        for (let i = 0; i < all.length; i++) {
          const event = all[i]!;
          expect(event.hash).toMatch(HEX64);
          expect(event.previousHash).toMatch(HEX64);
          if (i > 0) expect(event.previousHash).toBe(all[i - 1]!.hash);
          expect(event.hash).toBe(chainHash(event.previousHash, event));
          expect(verifyEvent(event)).toBe(true);
        }
        expect(new Set(all.map((e) => e.hash)).size).toBe(7);

        // Every read hands out the same hashes: a stream, the log in small batches, the log from the middle of an append.
        const byId = new Map(all.map((e) => [e.eventId, e]));
        for (const streamId of [a, b]) {
          for (const event of await store.readStream(streamId)) expect(event).toStrictEqual(byId.get(event.eventId));
        }
        expect((await collect(store.readAll({ after: 0, batchSize: 2 }))).flat()).toStrictEqual(all);
        expect((await collect(store.readAll({ after: all[2]!.position }))).flat()).toStrictEqual(all.slice(3));
      });

      it('reports the head hash: genesis when empty, then the last event', async () => {
        expect(await store.headHash()).toEqual({ position: 0, hash: GENESIS_HASH });
        const first = await appendNew(newStreamId(), 2, 0);
        let all = await readLog();
        expect(await store.headHash()).toEqual({ position: first.events[1]!.position, hash: all[1]!.hash });
        const second = await appendNew(newStreamId(), 1, 0);
        all = await readLog();
        expect(await store.headHash()).toEqual({ position: second.events[0]!.position, hash: all[2]!.hash });
        expect(await store.headPosition()).toBe(second.events[0]!.position);
      });

      it('verifies as an unbroken chain, from the start and from a later position', async () => {
        for (let i = 0; i < 6; i++) await appendNew(i % 2 === 0 ? newStreamId('case') : newStreamId('prisoner'), 1 + (i % 3), 0);
        const all = await readLog();
        const head = await store.headHash();

        const whole = await verifyChain(store.readAll({ after: 0, batchSize: 3 }), { densePositions });
        expect(whole).toEqual({
          eventsChecked: all.length,
          firstPosition: all[0]!.position,
          lastPosition: head.position,
          headHash: head.hash,
          valid: true,
          firstBroken: null,
        });

        const from = all[4]!;
        const tail = await verifyChain(store.readAll({ after: all[3]!.position }), {
          from: from.position,
          expectedPreviousHash: all[3]!.hash,
          densePositions,
        });
        expect(tail).toMatchObject({ valid: true, eventsChecked: all.length - 4, firstPosition: from.position, headHash: head.hash });

        // Anchored to a wrong previous hash, the same range does not verify.
        const wrong = await verifyChain(store.readAll({ after: all[3]!.position }), {
          from: from.position,
          expectedPreviousHash: all[2]!.hash,
          densePositions,
        });
        expect(wrong.firstBroken).toMatchObject({ position: from.position, reason: 'previous-hash-mismatch' });
      });

      it('leaves the chain where it was after a refused append and a retried command', async () => {
        const streamId = newStreamId();
        const commandId = randomUUID();
        const events = [newEvent(commandId), newEvent(commandId)];
        await store.append(streamId, events, { expectedVersion: 0, commandId });
        const head = await store.headHash();

        await expectStoreError(() => appendNew(streamId, 1, 0), 'WRONG_EXPECTED_VERSION');
        await store.append(streamId, events, { expectedVersion: 0, commandId }); // duplicate
        expect(await store.headHash()).toEqual(head);

        const next = await appendNew(streamId, 1, 2);
        const all = await readLog();
        expect(all).toHaveLength(3);
        expect(all[2]!.previousHash).toBe(head.hash);
        expect(await store.headHash()).toEqual({ position: next.events[0]!.position, hash: all[2]!.hash });
        expect((await verifyChain([all], { densePositions })).valid).toBe(true);
      });

      it('hands the same hashes to followers, also when they start in the middle of an append', async () => {
        await appendNew(newStreamId(), 3, 0);
        const all = await readLog();
        const follower = startFollowing(store, { after: all[0]!.position, batchSize: 1 });
        await follower.waitFor(2, followTimeoutMs);
        await appendNew(newStreamId(), 2, 0);
        await follower.waitFor(4, followTimeoutMs);
        await follower.stop();
        expect(follower.received).toStrictEqual((await readLog()).slice(1));
      });
    });

    describe('identity', () => {
      it('is a UUID and the same on every call', async () => {
        expect(store.identity).toBeDefined();
        const first = await store.identity!();
        expect(first.storeId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        expect(['sqlite', 'postgres', 'kurrentdb']).toContain(first.kind);
        await appendNew(newStreamId(), 1, 0);
        expect(await store.identity!()).toEqual(first);
        expect(await store.identity!()).toEqual(first);
      });
    });

    describe('optimistic concurrency', () => {
      it('rejects a stale expected version and writes nothing', async () => {
        const streamId = newStreamId();
        await appendNew(streamId, 2, 0);
        const head = await store.headPosition();

        const commandId = randomUUID();
        const error = await caught(() =>
          store.append(streamId, [newEvent(commandId)], { expectedVersion: 1, commandId }),
        );
        expect(error).toBeInstanceOf(WrongExpectedVersionError);
        expect(error).toBeInstanceOf(EventStoreError);
        expect(error).toMatchObject({ code: 'WRONG_EXPECTED_VERSION', streamId, expectedVersion: 1, actualVersion: 2 });

        const ahead = await caught(() => store.append(streamId, [newEvent(commandId)], { expectedVersion: 5, commandId }));
        expect(ahead).toMatchObject({ code: 'WRONG_EXPECTED_VERSION', expectedVersion: 5, actualVersion: 2 });

        expect(await store.headPosition()).toBe(head);
        expect(await store.readStream(streamId)).toHaveLength(2);

        // The rejected command id was not consumed: with the right version it goes through.
        const ok = await store.append(streamId, [newEvent(commandId)], { expectedVersion: 2, commandId });
        expect(ok).toMatchObject({ duplicate: false, version: 3 });
      });

      it('creates a stream with expectedVersion 0 and refuses 0 once the stream exists', async () => {
        const streamId = newStreamId();
        const missing = await caught(() => appendNew(streamId, 1, 3));
        expect(missing).toMatchObject({ code: 'WRONG_EXPECTED_VERSION', expectedVersion: 3, actualVersion: 0 });
        expect(await store.readStream(streamId)).toEqual([]);

        const created = await appendNew(streamId, 2, 0);
        expect(created.version).toBe(2);

        const again = await caught(() => appendNew(streamId, 1, 0));
        expect(again).toBeInstanceOf(WrongExpectedVersionError);
        expect(again).toMatchObject({ streamId, expectedVersion: 0, actualVersion: 2 });
        expect(await store.readStream(streamId)).toHaveLength(2);
      });

      it('lets exactly one of several racing appends with the same expected version win', async () => {
        const streamId = newStreamId();
        const outcomes = await Promise.allSettled(Array.from({ length: 8 }, () => appendNew(streamId, 2, 0)));
        const fulfilled = outcomes.filter((o) => o.status === 'fulfilled');
        const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        expect(fulfilled).toHaveLength(1);
        expect(rejected).toHaveLength(7);
        for (const r of rejected) expect(r.reason).toBeInstanceOf(WrongExpectedVersionError);
        expect((await store.readStream(streamId)).map((e) => e.version)).toEqual([1, 2]);
      });
    });

    describe('idempotency by commandId', () => {
      it('returns the first result for a retried command and writes nothing, even with a stale expected version', async () => {
        const streamId = newStreamId();
        const commandId = randomUUID();
        const events = [newEvent(commandId), newEvent(commandId)];
        const first = await store.append(streamId, events, { expectedVersion: 0, commandId });
        expect(first.duplicate).toBe(false);
        const headAfterFirst = await store.headPosition();

        clock.advance(60_000);
        const retry = await store.append(streamId, events, { expectedVersion: 0, commandId });
        expect(retry).toStrictEqual({ ...first, duplicate: true });
        expect(await store.headPosition()).toBe(headAfterFirst);

        // Another command moves the stream on; the old command's retry is now stale but still a duplicate.
        const otherCommand = randomUUID();
        const other = newEvent(otherCommand);
        await store.append(streamId, [other], { expectedVersion: 2, commandId: otherCommand });
        const headAfterOther = await store.headPosition();

        clock.advance(60_000);
        const stale = await store.append(streamId, events, { expectedVersion: 0, commandId });
        expect(stale).toStrictEqual({ ...first, duplicate: true });

        // Even rebuilt events (fresh ids) with the now-current version write nothing for a known command.
        const rebuilt = await store.append(streamId, [newEvent(commandId)], { expectedVersion: 3, commandId });
        expect(rebuilt).toStrictEqual({ ...first, duplicate: true });

        expect(await store.headPosition()).toBe(headAfterOther);
        expect((await store.readStream(streamId)).map((e) => e.eventId)).toEqual([
          events[0]!.eventId,
          events[1]!.eventId,
          other.eventId,
        ]);
      });
    });

    describe('findCommand', () => {
      it('finds the result of an earlier append by its commandId, and nothing for an unknown one', async () => {
        const streamId = newStreamId();
        const commandId = randomUUID();
        const first = await store.append(streamId, [newEvent(commandId), newEvent(commandId)], { expectedVersion: 0, commandId });
        expect(await store.findCommand(commandId)).toStrictEqual({ ...first, duplicate: true });
        expect(await store.findCommand(randomUUID())).toBeNull();
      });
    });

    describe('atomicity', () => {
      it('writes none of a batch when one of its events cannot be stored', async () => {
        const existingStream = newStreamId();
        const existingCommand = randomUUID();
        const existing = newEvent(existingCommand);
        await store.append(existingStream, [existing], { expectedVersion: 0, commandId: existingCommand });
        const head = await store.headPosition();

        // Third event reuses an eventId that is already in the log.
        const target = newStreamId();
        const commandId = randomUUID();
        const batch = [newEvent(commandId), newEvent(commandId), newEvent(commandId, { eventId: existing.eventId })];
        await expectStoreError(() => store.append(target, batch, { expectedVersion: 0, commandId }), 'INVALID_APPEND');

        expect(await store.readStream(target)).toEqual([]);
        expect(await store.headPosition()).toBe(head);
        expect((await collect(store.readAll({ after: 0 }))).flat().map((e) => e.eventId)).toEqual([existing.eventId]);

        // Same on an existing stream: its version does not move.
        const cmd2 = randomUUID();
        await expectStoreError(
          () =>
            store.append(existingStream, [newEvent(cmd2), newEvent(cmd2, { eventId: existing.eventId })], {
              expectedVersion: 1,
              commandId: cmd2,
            }),
          'INVALID_APPEND',
        );
        expect(await store.readStream(existingStream)).toHaveLength(1);

        // Nothing was consumed: the corrected command is a first write at versions 1..3.
        const fixed = [batch[0]!, batch[1]!, newEvent(commandId)];
        const ok = await store.append(target, fixed, { expectedVersion: 0, commandId });
        expect(ok.duplicate).toBe(false);
        expect(ok.events.map((e) => e.version)).toEqual([1, 2, 3]);
        expect((await store.readStream(target)).map((e) => e.eventId)).toEqual(fixed.map((e) => e.eventId));
      });
    });

    describe('validation', () => {
      type BadAppend = (commandId: string) => { events: NewEvent[]; expectedVersion: number };
      const cases: [string, BadAppend][] = [
        ['an empty event list', () => ({ events: [], expectedVersion: 0 })],
        ['schemaVersion 0', (c) => ({ events: [newEvent(c, { schemaVersion: 0 })], expectedVersion: 0 })],
        ['a negative schemaVersion', (c) => ({ events: [newEvent(c, { schemaVersion: -1 })], expectedVersion: 0 })],
        ['a fractional schemaVersion', (c) => ({ events: [newEvent(c, { schemaVersion: 1.5 })], expectedVersion: 0 })],
        ['a NaN schemaVersion', (c) => ({ events: [newEvent(c, { schemaVersion: Number.NaN })], expectedVersion: 0 })],
        [
          'a string schemaVersion',
          (c) => ({ events: [newEvent(c, { schemaVersion: '1' as unknown as number })], expectedVersion: 0 }),
        ],
        [
          'an eventId repeated within the batch',
          (c) => {
            const e = newEvent(c);
            return { events: [e, newEvent(c, { eventId: e.eventId })], expectedVersion: 0 };
          },
        ],
        ['a negative expectedVersion', (c) => ({ events: [newEvent(c)], expectedVersion: -1 })],
        ['a fractional expectedVersion', (c) => ({ events: [newEvent(c)], expectedVersion: 0.5 })],
        [
          'metadata.commandId differing from the append commandId',
          (c) => ({ events: [newEvent(c), newEvent(randomUUID())], expectedVersion: 0 }),
        ],
      ];

      it.each(cases)('rejects %s with INVALID_APPEND and writes nothing', async (_label, make) => {
        const streamId = newStreamId();
        const commandId = randomUUID();
        const { events, expectedVersion } = make(commandId);
        await expectStoreError(() => store.append(streamId, events, { expectedVersion, commandId }), 'INVALID_APPEND');
        expect(await store.headPosition()).toBe(0);
        expect(await store.readStream(streamId)).toEqual([]);
      });

      const badStreamIds: [string, string][] = [
        ['empty', ''],
        ['no id part', 'case'],
        ['empty id part', 'case-'],
        ['no category', '-abc'],
        ['upper-case category', 'Case-1'],
        ['category starting with a digit', '1case-1'],
        ['a space', 'case-a b'],
        ['a slash', 'case-a/b'],
        ['a non-ASCII letter', 'case-ä'],
        ['an id starting with a dot', 'case-.hidden'],
        ['a trailing newline', 'case-1\n'],
        ['an id part over 191 characters', `case-${'x'.repeat(192)}`],
        ['more than 200 characters in all', `${'c'.repeat(150)}-${'x'.repeat(60)}`],
      ];

      it.each(badStreamIds)('rejects a stream id with %s', async (_label, streamId) => {
        const commandId = randomUUID();
        await expectStoreError(
          () => store.append(streamId, [newEvent(commandId)], { expectedVersion: 0, commandId }),
          'INVALID_STREAM_ID',
        );
        await expectStoreError(() => store.readStream(streamId), 'INVALID_STREAM_ID');
        expect(await store.headPosition()).toBe(0);
      });

      it('accepts well-formed stream ids up to 200 characters', async () => {
        const ids = ['case-1', 'prisoner_case2-AB.c_d-9', `${'c'.repeat(8)}-${'y'.repeat(191)}`];
        expect(ids[2]).toHaveLength(200);
        for (const id of ids) {
          const r = await appendNew(id, 1, 0);
          expect(r.streamId).toBe(id);
          expect(await store.readStream(id)).toHaveLength(1);
        }
      });
    });

    describe('readAll', () => {
      it('streams the log in batches, in order, honouring after and upTo', async () => {
        const positions: number[] = [];
        const eventIds: string[] = [];
        for (let i = 0; i < 25; i++) {
          const r = await appendNew(`case-bulk${i}`, 100, 0);
          positions.push(...positionsOf(r));
          eventIds.push(...r.events.map((e) => e.eventId));
        }
        expect(positions).toHaveLength(2500);

        const batches = await collect(store.readAll({ after: 0 }));
        expect(batches.map((b) => b.length)).toEqual([1000, 1000, 500]);
        const all = batches.flat();
        expect(all.map((e) => e.position)).toEqual(positions);
        expect(all.map((e) => e.eventId)).toEqual(eventIds);

        const explicit = await collect(store.readAll({ after: 0, batchSize: 1000 }));
        expect(explicit.map((b) => b.length)).toEqual([1000, 1000, 500]);

        const slice = await collect(store.readAll({ after: positions[9]!, upTo: positions[29]!, batchSize: 7 }));
        expect(slice.map((b) => b.length)).toEqual([7, 7, 6]);
        expect(slice.flat().map((e) => e.position)).toEqual(positions.slice(10, 30));

        const tail = await collect(store.readAll({ after: positions[2489]!, batchSize: 4 }));
        expect(tail.map((b) => b.length)).toEqual([4, 4, 2]);
        expect(tail.flat().map((e) => e.position)).toEqual(positions.slice(2490));

        const beyondHead = await collect(store.readAll({ after: positions[2497]!, upTo: positions[2499]! + 1000 }));
        expect(beyondHead.flat().map((e) => e.position)).toEqual(positions.slice(2498));

        expect(await collect(store.readAll({ after: positions[2499]! }))).toEqual([]);
        expect(await collect(store.readAll({ after: positions[100]!, upTo: positions[100]! }))).toEqual([]);
        expect(await collect(store.readAll({ after: positions[100]!, upTo: positions[50]! }))).toEqual([]);
        const single = await collect(store.readAll({ after: positions[99]!, upTo: positions[100]! }));
        expect(single.flat().map((e) => e.eventId)).toEqual([eventIds[100]]);
      });

      it('can be stopped early without reading the rest', async () => {
        for (let i = 0; i < 3; i++) await appendNew(newStreamId(), 5, 0);
        const seen: number[] = [];
        for await (const batch of store.readAll({ after: 0, batchSize: 5 })) {
          seen.push(...batch.map((e) => e.position));
          break;
        }
        expect(seen).toHaveLength(5);
      });
    });

    describe('readStreams', () => {
      if (!readsStreams) {
        it('is left out, so that callers fall back to readAll', () => {
          expect(store.readStreams).toBeUndefined();
        });
        return;
      }

      /** Consecutive runs of one stream id in a sequence of events. */
      const runsOf = (events: readonly RecordedEvent[]) =>
        events.reduce<string[]>((runs, e) => (runs[runs.length - 1] === e.streamId ? runs : [...runs, e.streamId]), []);

      it('reads every stream once, whole and in version order, honouring prefix, upTo and batchSize', async () => {
        expect(await collect(store.readStreams!({}))).toEqual([]);
        const [a, b, c] = [newStreamId('case'), newStreamId('case'), newStreamId('figure')];
        const versions = new Map<string, number>();
        const append = async (stream: string, count: number) => {
          const r = await appendNew(stream, count, versions.get(stream) ?? 0);
          versions.set(stream, r.version);
          return r;
        };
        // Interleaved appends, some of several events, so that no stream's events are adjacent in the log.
        await append(a, 2);
        await append(b, 1);
        await append(c, 1);
        await append(a, 1);
        const middle = await append(b, 3);
        await append(c, 2);
        await append(a, 2);
        const all = (await collect(store.readAll({ after: 0 }))).flat();
        const streams = new Map<string, RecordedEvent[]>();
        for (const id of [a, b, c]) streams.set(id, await store.readStream(id));

        const whole = (await collect(store.readStreams!({}))).flat();
        expect(whole).toHaveLength(all.length);
        const runs = runsOf(whole);
        expect([...runs].sort()).toEqual([a, b, c].sort());
        for (const id of runs) expect(whole.filter((e) => e.streamId === id)).toStrictEqual(streams.get(id));

        const small = await collect(store.readStreams!({ batchSize: 2 }));
        expect(small.every((batch) => batch.length >= 1 && batch.length <= 2)).toBe(true);
        expect(small.flat()).toStrictEqual(whole);

        const cases = (await collect(store.readStreams!({ prefix: 'case-', batchSize: 3 }))).flat();
        expect(cases).toStrictEqual(whole.filter((e) => e.streamId !== c));

        const upTo = middle.events[1]!.position;
        const asThen = (await collect(store.readStreams!({ upTo, batchSize: 1 }))).flat();
        expect(asThen).toStrictEqual(whole.filter((e) => e.position <= upTo));
        expect(asThen.map((e) => e.position).sort((x, y) => x - y)).toEqual(all.filter((e) => e.position <= upTo).map((e) => e.position));
        expect(await collect(store.readStreams!({ prefix: 'nothing-' }))).toEqual([]);
      });
    });

    describe('follow', () => {
      it('yields stored events after the checkpoint, then new ones, and ends on abort', async () => {
        const streamId = newStreamId();
        const stored = await appendNew(streamId, 5, 0);
        const checkpoint = stored.events[1]!.position;

        const follower = startFollowing(store, { after: checkpoint, batchSize: 2 });
        await follower.waitFor(3, followTimeoutMs);
        expect(follower.received.map((e) => e.eventId)).toEqual(stored.events.slice(2).map((e) => e.eventId));
        expect(follower.batchSizes).toEqual([2, 1]);

        const more = await appendNew(streamId, 2, 5);
        const other = await appendNew(newStreamId(), 1, 0);
        await follower.waitFor(6, followTimeoutMs);
        expect(follower.received.map((e) => e.position)).toEqual([
          ...positionsOf(stored).slice(2),
          ...positionsOf(more),
          ...positionsOf(other),
        ]);
        expect(follower.received.map((e) => e.version)).toEqual([3, 4, 5, 6, 7, 1]);

        await follower.stop();
        await appendNew(streamId, 1, 7);
        await sleep(50);
        expect(follower.received).toHaveLength(6);
      });

      it('ends promptly when aborted while waiting for events', async () => {
        const follower = startFollowing(store, { after: 0 });
        await sleep(30);
        const started = Date.now();
        await follower.stop(1000);
        expect(Date.now() - started).toBeLessThan(1000);
        expect(follower.received).toEqual([]);
      });

      it('yields nothing for an already-aborted signal', async () => {
        await appendNew(newStreamId(), 2, 0);
        const controller = new AbortController();
        controller.abort();
        const batches = await within(
          collect(store.follow({ after: 0, signal: controller.signal })),
          1000,
          'follow with aborted signal',
        );
        expect(batches).toEqual([]);
      });

      it('can be left with break, and serves several followers at once', async () => {
        const first = await appendNew(newStreamId(), 3, 0);
        const controller = new AbortController();
        for await (const batch of store.follow({ after: 0, signal: controller.signal })) {
          expect(batch.map((e) => e.position)).toEqual(positionsOf(first));
          break;
        }

        const a = startFollowing(store, { after: 0 });
        const b = startFollowing(store, { after: first.events[0]!.position });
        await a.waitFor(3, followTimeoutMs);
        await b.waitFor(2, followTimeoutMs);
        const next = await appendNew(newStreamId(), 1, 0);
        await a.waitFor(4, followTimeoutMs);
        await b.waitFor(3, followTimeoutMs);
        expect(a.received.map((e) => e.position)).toEqual([...positionsOf(first), ...positionsOf(next)]);
        expect(b.received.map((e) => e.position)).toEqual([...positionsOf(first).slice(1), ...positionsOf(next)]);
        await Promise.all([a.stop(), b.stop()]);
      });
    });

    describe('recordedAt', () => {
      if (injectableClock) {
        it('is set by the store from its clock and never goes backwards along the log', async () => {
          clock.set('2024-05-01T12:00:00.123Z');
          const r1 = await appendNew(newStreamId(), 2, 0);
          expect(r1.recordedAt).toBe('2024-05-01T12:00:00.123Z');

          clock.set('2024-05-01T11:00:00.000Z'); // the clock jumps back an hour
          const backStream = newStreamId();
          const r2 = await appendNew(backStream, 3, 0);
          expect(r2.recordedAt).toBe('2024-05-01T12:00:00.123Z');
          expect((await store.readStream(backStream)).map((e) => e.recordedAt)).toEqual(
            Array(3).fill('2024-05-01T12:00:00.123Z'),
          );

          clock.set('2024-05-01T12:00:00.500Z');
          const r3 = await appendNew(newStreamId(), 1, 0);
          expect(r3.recordedAt).toBe('2024-05-01T12:00:00.500Z');

          const all = (await collect(store.readAll({ after: 0 }))).flat();
          expect(all.map((e) => e.recordedAt)).toEqual([
            ...Array(2).fill('2024-05-01T12:00:00.123Z'),
            ...Array(3).fill('2024-05-01T12:00:00.123Z'),
            '2024-05-01T12:00:00.500Z',
          ]);
        });
      }

      it('is an ISO UTC timestamp with milliseconds, shared by one append and non-decreasing', async () => {
        const results: AppendResult[] = [];
        for (let i = 0; i < 5; i++) {
          if (injectableClock) clock.advance(i % 2 === 0 ? 1500 : -4000);
          results.push(await appendNew(newStreamId(), 3, 0));
        }
        const all = (await collect(store.readAll({ after: 0 }))).flat();
        expect(all).toHaveLength(15);
        for (const event of all) expect(event.recordedAt).toMatch(ISO_MS_UTC);
        for (let i = 1; i < all.length; i++) expect(all[i]!.recordedAt >= all[i - 1]!.recordedAt).toBe(true);
        results.forEach((r, i) => {
          expect(all.slice(i * 3, i * 3 + 3).map((e) => e.recordedAt)).toEqual(Array(3).fill(r.recordedAt));
        });
      });
    });
  });
}
