import { randomUUID } from 'node:crypto';
import { EventStoreError } from '../event-store.port.js';
import type { EventStoreErrorCode } from '../event-store.port.js';
import { collect, describeEventStoreContract, expectStoreError, newEvent, newStreamId, within } from '../testing/event-store.contract.js';
import { GENESIS_HASH } from '../audit/canonical.js';
import { verifyChain } from '../audit/verify-chain.js';
import type { RecordedEvent } from '../event-store.port.js';
import { KurrentDbEventStore } from './kurrentdb-event-store.js';
import type { KurrentStoredEvent } from './kurrentdb-mapping.js';

const KURRENTDB_URL = process.env.KURRENTDB_URL;

/** A prefix per store, so that every contract test sees an empty log in a shared database. */
const testPrefix = (): string => `t${randomUUID().replace(/-/g, '').slice(0, 12)}-`;

if (KURRENTDB_URL) {
  describeEventStoreContract(`KurrentDbEventStore (${KURRENTDB_URL})`, async ({ now }) => {
    const store = await KurrentDbEventStore.open({ connectionString: KURRENTDB_URL, streamPrefix: testPrefix(), now });
    return { store, cleanup: () => store.close() };
  }, { densePositions: false, readsStreams: false });
} else {
  console.warn('KurrentDB adapter tests skipped: KURRENTDB_URL is not set');
}

/** Nothing listens on port 1: every round trip fails at once with ECONNREFUSED. */
const UNREACHABLE = 'kurrentdb://127.0.0.1:1?tls=false&maxDiscoverAttempts=1&discoveryInterval=10';

describe('KurrentDbEventStore without a server', () => {
  const opened: KurrentDbEventStore[] = [];
  function open(streamPrefix = testPrefix()): KurrentDbEventStore {
    const store = new KurrentDbEventStore({ connectionString: UNREACHABLE, streamPrefix });
    opened.push(store);
    return store;
  }

  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
  });

  it('refuses a missing connection string and a prefix that reaches into $-streams', () => {
    expect(() => new KurrentDbEventStore({ connectionString: '' })).toThrow(EventStoreError);
    expect(() => new KurrentDbEventStore({ connectionString: UNREACHABLE, streamPrefix: '$all-' })).toThrow(RangeError);
    expect(() => new KurrentDbEventStore({ connectionString: UNREACHABLE, streamPrefix: 'a b' })).toThrow(RangeError);
  });

  it('validates appends and stream ids before any round trip', async () => {
    const store = open();
    const commandId = randomUUID();
    await expectStoreError(
      () => store.append('Case-1', [newEvent(commandId)], { expectedVersion: 0, commandId }),
      'INVALID_STREAM_ID',
    );
    await expectStoreError(
      () => store.append(newStreamId(), [newEvent(commandId, { eventId: 'not-a-uuid' })], { expectedVersion: 0, commandId }),
      'INVALID_APPEND',
    );
    await expectStoreError(() => store.append(newStreamId(), [], { expectedVersion: 0, commandId }), 'INVALID_APPEND');
    await expectStoreError(() => store.readStream('case-'), 'INVALID_STREAM_ID');
    await expect(collect(store.readAll({ after: -1 }))).rejects.toThrow(RangeError);
    await expect(collect(store.readAll({ after: 0, batchSize: 0 }))).rejects.toThrow(RangeError);
  });

  it('yields nothing for an already-aborted signal, without touching the server', async () => {
    const store = open();
    const touched: string[] = [];
    const client = (store as unknown as { client: Record<string, unknown> }).client;
    for (const method of ['readAll', 'readStream', 'subscribeToAll']) {
      client[method] = () => {
        touched.push(method);
        throw new Error(`${method} called`);
      };
    }
    const controller = new AbortController();
    controller.abort();
    expect(await within(collect(store.follow({ after: 0, signal: controller.signal })), 1000, 'follow')).toEqual([]);
    expect(touched).toEqual([]);
  });

  it.each<[string, (store: KurrentDbEventStore) => Promise<unknown>]>([
    ['ping', (s) => s.ping()],
    ['headPosition', (s) => s.headPosition()],
    ['headHash', (s) => s.headHash()],
    ['identity', (s) => s.identity()],
    ['readStream', (s) => s.readStream(newStreamId())],
    ['findCommand', (s) => s.findCommand(randomUUID())],
    ['readAll', (s) => collect(s.readAll({ after: 0 }))],
    ['readAll after a position', (s) => collect(s.readAll({ after: 12345, upTo: 99999 }))],
    [
      'append',
      (s) => {
        const commandId = randomUUID();
        return s.append(newStreamId(), [newEvent(commandId)], { expectedVersion: 0, commandId });
      },
    ],
    ['follow', (s) => collect(s.follow({ after: 0, signal: new AbortController().signal }))],
  ])('reports an unreachable server as STORE_UNAVAILABLE from %s', async (_label, call) => {
    const store = open();
    const error = await within(
      call(store).then(
        () => new Error('expected the call to fail'),
        (e: unknown) => e,
      ),
      10_000,
      'call against an unreachable server',
    );
    expect(error).toBeInstanceOf(EventStoreError);
    expect((error as EventStoreError).code).toBe<EventStoreErrorCode>('STORE_UNAVAILABLE');
  });

  it('can be closed twice, and refuses every call once closed', async () => {
    const store = open();
    await store.close();
    await store.close();
    const commandId = randomUUID();
    await expectStoreError(() => store.ping(), 'STORE_UNAVAILABLE');
    await expectStoreError(() => store.headPosition(), 'STORE_UNAVAILABLE');
    await expectStoreError(() => store.readStream(newStreamId()), 'STORE_UNAVAILABLE');
    await expectStoreError(() => store.findCommand(commandId), 'STORE_UNAVAILABLE');
    await expectStoreError(() => store.append(newStreamId(), [newEvent(commandId)], { expectedVersion: 0, commandId }), 'STORE_UNAVAILABLE');
    await expectStoreError(() => collect(store.readAll({ after: 0 })), 'STORE_UNAVAILABLE');
    await expectStoreError(() => collect(store.follow({ after: 0, signal: new AbortController().signal })), 'STORE_UNAVAILABLE');
  });

  it('opens through the static factory with the same options', async () => {
    const store = await KurrentDbEventStore.open({ connectionString: UNREACHABLE, streamPrefix: testPrefix() });
    opened.push(store);
    expect(store).toBeInstanceOf(KurrentDbEventStore);
  });
});

// --- the hash chain, over an in-memory stand-in for the client --------------------------------------

/**
 * Just enough of the client for appends, stream reads and `$all` reads (no subscriptions): events
 * get sparse positions, expected stream states are enforced, unknown streams throw stream-not-found.
 */
class FakeKurrentClient {
  readonly events: KurrentStoredEvent[] = [];
  private position = 1000n;

  constructor(private readonly real: { dispose(): Promise<void> }) {}

  async appendToStream(
    stream: string,
    proposed: { id?: string; type: string; data: unknown; metadata?: unknown } | { id?: string; type: string; data: unknown; metadata?: unknown }[],
    options: { streamState?: unknown } = {},
  ) {
    const list = Array.isArray(proposed) ? proposed : [proposed];
    const current = this.events.filter((e) => e.streamId === stream).length - 1;
    const state = options.streamState;
    if (state === 'no_stream' ? current !== -1 : typeof state === 'bigint' && BigInt(current) !== state) {
      throw Object.assign(new Error('wrong expected version'), {
        type: 'wrong-expected-version',
        actualState: current < 0 ? 'no_stream' : BigInt(current),
      });
    }
    list.forEach((e, i) => {
      this.position += 37n + BigInt(i);
      this.events.push({
        streamId: stream,
        id: e.id ?? randomUUID(),
        type: e.type,
        revision: BigInt(current + 1 + i),
        isJson: true,
        data: JSON.parse(JSON.stringify(e.data)) as unknown,
        metadata: e.metadata === undefined ? undefined : (JSON.parse(JSON.stringify(e.metadata)) as unknown),
        position: { commit: this.position, prepare: this.position },
      });
    });
    return { success: true, nextExpectedRevision: BigInt(current + list.length) };
  }

  async *readStream(stream: string, options: { fromRevision?: unknown; direction?: string; maxCount?: number }) {
    let list = this.events.filter((e) => e.streamId === stream);
    if (list.length === 0) throw Object.assign(new Error('stream not found'), { type: 'stream-not-found' });
    const from = options.fromRevision;
    if (options.direction === 'backwards') {
      list = list.reverse().filter((e) => typeof from !== 'bigint' || e.revision <= from);
    } else {
      list = list.filter((e) => typeof from !== 'bigint' || e.revision >= from);
    }
    for (const event of list.slice(0, options.maxCount ?? Infinity)) yield { event };
  }

  async *readAll(options: { fromPosition?: unknown; direction?: string; maxCount?: number; filter?: { regex?: string } }) {
    const regex = options.filter?.regex === undefined ? null : new RegExp(options.filter.regex);
    let list = this.events.filter((e) => regex === null || regex.test(e.streamId));
    const from = options.fromPosition as { commit: bigint } | string | undefined;
    if (options.direction === 'backwards') {
      list = list.reverse().filter((e) => typeof from !== 'object' || e.position!.commit < from.commit);
    } else {
      list = list.filter((e) => typeof from !== 'object' || e.position!.commit >= from.commit);
    }
    for (const event of list.slice(0, options.maxCount ?? Infinity)) yield { event };
  }

  async dispose(): Promise<void> {
    await this.real.dispose();
  }
}

describe('KurrentDbEventStore hash chain (in-memory client)', () => {
  const opened: KurrentDbEventStore[] = [];
  let fake: FakeKurrentClient;
  const prefix = 't1-';

  function open(): KurrentDbEventStore {
    const store = new KurrentDbEventStore({ connectionString: UNREACHABLE, streamPrefix: prefix });
    const internals = store as unknown as { client: { dispose(): Promise<void>; [method: string]: unknown } };
    fake ??= new FakeKurrentClient(internals.client);
    const real = internals.client;
    // Every instance on the same in-memory database; each disposes of its own (unconnected) client.
    internals.client = {
      appendToStream: fake.appendToStream.bind(fake),
      readStream: fake.readStream.bind(fake),
      readAll: fake.readAll.bind(fake),
      dispose: () => real.dispose(),
    };
    opened.push(store);
    return store;
  }

  async function append(store: KurrentDbEventStore, streamId: string, count: number, expectedVersion: number) {
    const commandId = randomUUID();
    const events = Array.from({ length: count }, (_, i) => newEvent(commandId, { data: { i, ratio: i / 3 } }));
    return store.append(streamId, events, { expectedVersion, commandId });
  }

  const readLog = async (store: KurrentDbEventStore): Promise<RecordedEvent[]> => (await collect(store.readAll({ after: 0 }))).flat();

  beforeEach(() => {
    fake = undefined as unknown as FakeKurrentClient;
  });

  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
  });

  it('links appends through the first event of each, and every read hands out the same hashes', async () => {
    const store = open();
    await append(store, 'case-a', 3, 0);
    await append(store, 'case-b', 1, 0);
    await append(store, 'case-a', 2, 3);

    const all = await readLog(store);
    expect(all).toHaveLength(6);
    expect(all[0]!.previousHash).toBe(GENESIS_HASH);
    for (let i = 1; i < all.length; i++) expect(all[i]!.previousHash).toBe(all[i - 1]!.hash);
    expect(await verifyChain([all], { densePositions: false })).toMatchObject({ valid: true, eventsChecked: 6, headHash: all[5]!.hash });
    expect(await store.headHash()).toEqual({ position: all[5]!.position, hash: all[5]!.hash });

    // Stored: the previous hash only on the first event of an append, the index on every one.
    const chains = fake.events.filter((e) => e.streamId.startsWith(`${prefix}case-`)).map((e) => (e.metadata as { chain: unknown }).chain);
    expect(chains).toEqual([
      { index: 0, previousHash: GENESIS_HASH },
      { index: 1 },
      { index: 2 },
      { index: 0, previousHash: all[2]!.hash },
      { index: 0, previousHash: all[3]!.hash },
      { index: 1 },
    ]);

    expect((await collect(store.readAll({ after: 0, batchSize: 2 }))).flat()).toStrictEqual(all);
    // Starting in the middle of an append: its earlier events are read from the stream.
    expect((await collect(store.readAll({ after: all[1]!.position }))).flat()).toStrictEqual(all.slice(2));
    expect(await store.readStream('case-a')).toStrictEqual([all[0], all[1], all[2], all[4], all[5]]);
    expect(await store.readStream('case-b')).toStrictEqual([all[3]]);
  });

  it('seeds the head from the log in a new process, and keeps it across a refused append', async () => {
    const first = open();
    await append(first, 'case-a', 2, 0);
    const second = open();
    await expectStoreError(() => append(second, 'case-a', 1, 0), 'WRONG_EXPECTED_VERSION');
    await append(second, 'case-b', 2, 0);
    const all = await readLog(second);
    expect(all[2]!.previousHash).toBe(all[1]!.hash);
    expect((await verifyChain([all], { densePositions: false })).firstBroken).toBeNull();
  });

  it('shows a removed append at the first event of the next one', async () => {
    const store = open();
    await append(store, 'case-a', 2, 0);
    await append(store, 'case-b', 2, 0);
    await append(store, 'case-c', 1, 0);
    const before = await readLog(store);
    // As if stream case-b had been deleted and scavenged.
    fake.events.splice(0, fake.events.length, ...fake.events.filter((e) => e.streamId !== `${prefix}case-b`));
    const result = await verifyChain([await readLog(store)], { densePositions: false });
    expect(result.firstBroken).toMatchObject({
      position: before[4]!.position,
      reason: 'previous-hash-mismatch',
      expected: before[1]!.hash,
      found: before[3]!.hash,
    });
  });

  it('makes its identity once and reports the same one to every instance', async () => {
    const first = open();
    const identity = await first.identity();
    expect(identity).toEqual({ storeId: expect.stringMatching(/^[0-9a-f-]{36}$/), kind: 'kurrentdb' });
    expect(await first.identity()).toEqual(identity);
    expect(await open().identity()).toEqual(identity);
    expect(fake.events.filter((e) => e.streamId === `${prefix}$store-identity`)).toHaveLength(1);
    // The identity stream is not one of ours: the log stays empty.
    expect(await readLog(first)).toEqual([]);
  });
});
