import { randomUUID } from 'node:crypto';
import { EventStoreError } from '../event-store.port.js';
import type { EventStoreErrorCode } from '../event-store.port.js';
import { collect, describeEventStoreContract, expectStoreError, newEvent, newStreamId, within } from '../testing/event-store.contract.js';
import { KurrentDbEventStore } from './kurrentdb-event-store.js';

const KURRENTDB_URL = process.env.KURRENTDB_URL;

/** A prefix per store, so that every contract test sees an empty log in a shared database. */
const testPrefix = (): string => `t${randomUUID().replace(/-/g, '').slice(0, 12)}-`;

if (KURRENTDB_URL) {
  describeEventStoreContract(`KurrentDbEventStore (${KURRENTDB_URL})`, async ({ now }) => {
    const store = await KurrentDbEventStore.open({ connectionString: KURRENTDB_URL, streamPrefix: testPrefix(), now });
    return { store, cleanup: () => store.close() };
  });
} else {
  console.warn('KurrentDB adapter tests skipped: KURRENTDB_URL is not set');
  describe.skip('EventStore contract: KurrentDbEventStore (set KURRENTDB_URL, e.g. kurrentdb://admin:changeit@localhost:2113?tls=false)', () => {
    it('runs the shared contract suite against a KurrentDB server', () => undefined);
  });
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
