import { randomUUID } from 'node:crypto';
import { getEventListeners } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { chainHash, GENESIS_HASH } from '../audit/canonical.js';
import { verifyChain } from '../audit/verify-chain.js';
import { EventStoreError, WrongExpectedVersionError } from '../event-store.port.js';
import {
  collect,
  describeEventStoreContract,
  expectStoreError,
  newEvent,
  newStreamId,
  sleep,
  startFollowing,
  within,
} from '../testing/event-store.contract.js';
import { SQLITE_EVENT_STORE_SCHEMA_VERSION, SqliteEventStore } from './sqlite-event-store.js';

describeEventStoreContract('SqliteEventStore (:memory:)', async ({ now }) => {
  const store = new SqliteEventStore({ filename: ':memory:', now, pollIntervalMs: 50 });
  return { store, cleanup: () => store.close() };
});

describeEventStoreContract('SqliteEventStore (file, WAL)', async ({ now }) => {
  const dir = mkdtempSync(join(tmpdir(), 'sqlite-es-contract-'));
  const store = await SqliteEventStore.open({ filename: join(dir, 'events.db'), now, pollIntervalMs: 50 });
  return {
    store,
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('SqliteEventStore (SQLite specifics)', () => {
  let dir: string;
  const opened: SqliteEventStore[] = [];

  function open(filename: string, options: { pollIntervalMs?: number; now?: () => Date } = {}): SqliteEventStore {
    const store = new SqliteEventStore({ filename, ...options });
    opened.push(store);
    return store;
  }

  async function appendOne(store: SqliteEventStore, streamId: string, expectedVersion: number) {
    const commandId = randomUUID();
    return store.append(streamId, [newEvent(commandId)], { expectedVersion, commandId });
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sqlite-es-'));
  });

  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates a missing parent directory and persists events across close and reopen', async () => {
    const filename = join(dir, 'nested', 'deeper', 'events.db');
    expect(existsSync(join(dir, 'nested'))).toBe(false);
    const first = open(filename);
    const streamId = newStreamId();
    const commandId = randomUUID();
    const events = [
      newEvent(commandId, { personal: { fullName: 'Ihar Ivanou' } }),
      newEvent(commandId, { type: 'Sentenced', data: { years: 5 } }),
    ];
    const appended = await first.append(streamId, events, { expectedVersion: 0, commandId });
    const before = await first.readStream(streamId);
    await first.close();
    expect(existsSync(filename)).toBe(true);

    const reopened = open(filename);
    expect(await reopened.readStream(streamId)).toStrictEqual(before);
    expect(await reopened.headPosition()).toBe(appended.events[1]!.position);
    expect(before.map((e) => e.eventId)).toEqual(events.map((e) => e.eventId));

    // Idempotency and versions survive the restart too.
    const retry = await reopened.append(streamId, events, { expectedVersion: 0, commandId });
    expect(retry).toStrictEqual({ ...appended, duplicate: true });
    const next = await appendOne(reopened, streamId, 2);
    expect(next.version).toBe(3);
    expect(next.events[0]!.position).toBe(appended.events[1]!.position + 1);
  });

  it('runs in WAL mode with the expected schema and schema version', async () => {
    const filename = join(dir, 'events.db');
    const store = open(filename);
    await appendOne(store, newStreamId(), 0);

    const raw = new Database(filename, { readonly: true });
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(raw.pragma('user_version', { simple: true })).toBe(SQLITE_EVENT_STORE_SCHEMA_VERSION);
      expect(SQLITE_EVENT_STORE_SCHEMA_VERSION).toBeGreaterThanOrEqual(1);
      const columns = (raw.pragma('table_info(events)') as { name: string; notnull: number; pk: number }[]).map(
        (c) => [c.name, c.notnull, c.pk],
      );
      expect(columns).toEqual([
        ['position', 0, 1],
        ['event_id', 1, 0],
        ['stream_id', 1, 0],
        ['version', 1, 0],
        ['type', 1, 0],
        ['schema_version', 1, 0],
        ['data', 1, 0],
        ['personal', 0, 0],
        ['metadata', 1, 0],
        ['command_id', 1, 0],
        ['recorded_at', 1, 0],
        ['previous_hash', 1, 0],
        ['hash', 1, 0],
      ]);
      expect(SQLITE_EVENT_STORE_SCHEMA_VERSION).toBe(2);
      const meta = raw.prepare('SELECT key, value FROM store_meta').all();
      expect(meta).toEqual([{ key: 'store_id', value: expect.stringMatching(/^[0-9a-f-]{36}$/) }]);
      const indexed = (raw.pragma('index_list(events)') as { name: string }[]).map(
        (i) => (raw.pragma(`index_info(${i.name})`) as { name: string }[]).map((c) => c.name).join(','),
      );
      expect(indexed).toEqual(expect.arrayContaining(['command_id', 'event_id', 'stream_id,version']));
      const row = raw.prepare('SELECT data, metadata, command_id FROM events').get() as Record<string, string>;
      expect(JSON.parse(row.metadata!).commandId).toBe(row.command_id);
      expect(typeof JSON.parse(row.data!)).toBe('object');
    } finally {
      raw.close();
    }
  });

  it('assigns consecutive positions starting at 1', async () => {
    const store = open(':memory:');
    const a = await store.append('case-a', [newEvent('c1'), newEvent('c1')], { expectedVersion: 0, commandId: 'c1' });
    const b = await appendOne(store, 'case-b', 0);
    expect([...a.events, ...b.events].map((e) => e.position)).toEqual([1, 2, 3]);
  });

  it('opens an existing database again without touching the data (idempotent schema)', async () => {
    const filename = join(dir, 'events.db');
    const first = open(filename);
    const r = await appendOne(first, 'case-1', 0);
    const second = open(filename);
    expect((await second.readStream('case-1')).map((e) => e.eventId)).toEqual([r.events[0]!.eventId]);
    // Both connections share the version guard.
    const conflict = await expectStoreError(() => appendOne(second, 'case-1', 0), 'WRONG_EXPECTED_VERSION');
    expect(conflict).toBeInstanceOf(WrongExpectedVersionError);
    expect((conflict as WrongExpectedVersionError).actualVersion).toBe(1);
    await appendOne(second, 'case-1', 1);
    expect((await first.readStream('case-1')).map((e) => e.version)).toEqual([1, 2]);
  });

  it('keeps its identity across reopen and shares it between connections to the same file', async () => {
    const filename = join(dir, 'events.db');
    const first = open(filename);
    const identity = await first.identity();
    expect(identity.kind).toBe('sqlite');
    await appendOne(first, 'case-1', 0);
    const second = open(filename);
    expect(await second.identity()).toEqual(identity);
    await first.close();
    await second.close();
    expect(await open(filename).identity()).toEqual(identity);
    expect((await open(join(dir, 'other.db')).identity()).storeId).not.toBe(identity.storeId);
  });

  it('continues the chain across reopen, and across connections appending in turn', async () => {
    const filename = join(dir, 'events.db');
    const a = open(filename);
    await appendOne(a, 'case-1', 0);
    const b = open(filename);
    await appendOne(b, 'case-2', 0);
    await appendOne(a, 'case-1', 1);
    await a.close();
    const c = open(filename);
    await appendOne(c, 'case-3', 0);
    const verification = await verifyChain(c.readAll({ after: 0 }));
    expect(verification).toMatchObject({ valid: true, eventsChecked: 4, headHash: (await c.headHash()).hash });
  });

  it('migrates a version 1 database: adds the columns, chains the rows there in position order, makes an identity', async () => {
    const filename = join(dir, 'v1.db');
    const raw = new Database(filename);
    raw.exec(`CREATE TABLE events (
       position INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL UNIQUE, stream_id TEXT NOT NULL,
       version INTEGER NOT NULL, type TEXT NOT NULL, schema_version INTEGER NOT NULL, data TEXT NOT NULL,
       personal TEXT NULL, metadata TEXT NOT NULL, command_id TEXT NOT NULL, recorded_at TEXT NOT NULL,
       UNIQUE (stream_id, version));
     CREATE INDEX events_command_id ON events (command_id);`);
    raw.pragma('user_version = 1');
    const insert = raw.prepare(
      `INSERT INTO events (event_id, stream_id, version, type, schema_version, data, personal, metadata, command_id, recorded_at)
       VALUES (?, ?, ?, 'CaseOpened', 1, ?, ?, ?, ?, ?)`,
    );
    const written: string[] = [];
    const insertAll = raw.transaction(() => {
      for (let i = 0; i < 2500; i++) {
        const commandId = `c${i}`;
        const event = newEvent(commandId, { data: { i, ratio: i / 7 }, personal: i % 2 === 0 ? { name: `n${i}` } : null });
        const streamId = `case-${i % 10}`;
        insert.run(
          event.eventId,
          streamId,
          Math.floor(i / 10) + 1,
          JSON.stringify(event.data),
          event.personal === null ? null : JSON.stringify(event.personal),
          JSON.stringify(event.metadata),
          commandId,
          '2024-01-01T00:00:00.000Z',
        );
        written.push(event.eventId);
      }
    });
    insertAll();
    raw.close();

    const store = open(filename);
    const all = (await collect(store.readAll({ after: 0 }))).flat();
    expect(all.map((e) => e.eventId)).toEqual(written);
    let previousHash = GENESIS_HASH;
    for (const event of all) {
      expect(event.previousHash).toBe(previousHash);
      expect(event.hash).toBe(chainHash(previousHash, event));
      previousHash = event.hash;
    }
    expect(await verifyChain(store.readAll({ after: 0 }))).toMatchObject({ valid: true, eventsChecked: 2500 });
    expect((await store.identity()).storeId).toMatch(/^[0-9a-f-]{36}$/);

    // New appends chain on, with the next position.
    const next = await appendOne(store, 'case-new', 0);
    expect(next.events[0]!.position).toBe(2501);
    expect((await store.readStream('case-new'))[0]!.previousHash).toBe(previousHash);
    const check = new Database(filename, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(SQLITE_EVENT_STORE_SCHEMA_VERSION);
    check.close();
  });

  it('keeps the gap of a deleted last event: the next append does not reuse its position', async () => {
    const filename = join(dir, 'events.db');
    const store = open(filename);
    await appendOne(store, 'case-1', 0);
    await appendOne(store, 'case-2', 0);
    const raw = new Database(filename);
    raw.prepare('DELETE FROM events WHERE position = 2').run();
    raw.close();
    const next = await appendOne(store, 'case-3', 0);
    expect(next.events[0]!.position).toBe(3);
    const verification = await verifyChain(store.readAll({ after: 0 }));
    expect(verification.firstBroken).toMatchObject({ position: 2, reason: 'position-gap', eventId: null });
  });

  it('refuses to chain onto a last event whose stored hash is not a hash', async () => {
    const filename = join(dir, 'events.db');
    const store = open(filename);
    await appendOne(store, 'case-1', 0);
    const raw = new Database(filename);
    raw.prepare(`UPDATE events SET hash = '' WHERE position = 1`).run();
    raw.close();
    const error = await expectStoreError(() => appendOne(store, 'case-2', 0), 'STORE_UNAVAILABLE');
    expect(error.message).toMatch(/hash chain is broken/);
    expect(await store.headPosition()).toBe(1);
  });

  it('refuses a database written by a newer schema', async () => {
    const filename = join(dir, 'events.db');
    open(filename);
    const raw = new Database(filename);
    raw.pragma(`user_version = ${SQLITE_EVENT_STORE_SCHEMA_VERSION + 1}`);
    raw.close();
    const error = await expectStoreError(() => new SqliteEventStore({ filename }), 'STORE_UNAVAILABLE');
    expect(error.message).toMatch(/newer/);
  });

  it('lets a second instance on the same file follow appends made by the first (polling)', async () => {
    const filename = join(dir, 'events.db');
    const writer = open(filename, { pollIntervalMs: 60_000 });
    const reader = open(filename, { pollIntervalMs: 25 });
    const early = await appendOne(writer, 'case-x', 0);

    const follower = startFollowing(reader, { after: 0 });
    await follower.waitFor(1, 3000);
    await sleep(60); // let the reader go back to waiting
    const later = await appendOne(writer, 'case-x', 1);
    const other = await appendOne(writer, 'case-y', 0);
    await follower.waitFor(3, 3000);
    expect(follower.received.map((e) => e.eventId)).toEqual(
      [early, later, other].map((r) => r.events[0]!.eventId),
    );
    await follower.stop();
  });

  it('wakes in-process followers on commit without waiting for the poll', async () => {
    const store = open(':memory:', { pollIntervalMs: 60_000 });
    const follower = startFollowing(store, { after: 0 });
    await sleep(30); // the follower has read the empty log and is waiting
    const appended = await appendOne(store, 'case-1', 0);
    await follower.waitFor(1, 1000);
    expect(follower.received[0]!.eventId).toBe(appended.events[0]!.eventId);
    const started = Date.now();
    await follower.stop(1000); // abort does not wait for the 60 s poll either
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('leaves no timers or abort listeners behind when a follower ends', async () => {
    const store = open(':memory:', { pollIntervalMs: 60_000 });
    const countTimers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    // Timers of earlier work in this process (short sleeps, guards) expire on their own: count once
    // they have, so that only what the follower leaves behind can change the number.
    const settledTimers = async () => {
      let last = countTimers();
      for (let stableSince = Date.now(), deadline = Date.now() + 3_000; Date.now() - stableSince < 150 && Date.now() < deadline; ) {
        await sleep(10);
        const now = countTimers();
        if (now !== last) [last, stableSince] = [now, Date.now()];
      }
      return last;
    };
    const baseline = await settledTimers();

    const follower = startFollowing(store, { after: 0 });
    // The follower reads the empty log, then waits on its poll timer and the abort signal; on a
    // loaded machine that can take longer than any fixed sleep, so wait for it (bounded).
    const waiting = () => getEventListeners(follower.controller.signal, 'abort').length > 0 && countTimers() > baseline;
    for (const deadline = Date.now() + 5_000; !waiting() && Date.now() < deadline; ) await sleep(10);
    expect(getEventListeners(follower.controller.signal, 'abort').length).toBeGreaterThan(0);
    expect(countTimers()).toBeGreaterThan(baseline);
    await appendOne(store, 'case-1', 0); // one wake-up by commit...
    await follower.waitFor(1, 1000);
    await sleep(20);
    await follower.stop(); // ...then one by abort
    expect(getEventListeners(follower.controller.signal, 'abort')).toHaveLength(0);
    expect(await settledTimers()).toBe(baseline);

    // Leaving a follow loop with break while events are flowing leaves nothing either.
    const controller = new AbortController();
    for await (const batch of store.follow({ after: 0, signal: controller.signal })) {
      expect(batch).toHaveLength(1);
      break;
    }
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    expect(await settledTimers()).toBe(baseline);
  });

  it('rejects every call after close with STORE_UNAVAILABLE and ends active followers', async () => {
    const store = open(':memory:', { pollIntervalMs: 60_000 });
    await appendOne(store, 'case-1', 0);
    const follower = startFollowing(store, { after: 1 });
    await sleep(20);
    await store.close();
    await within(follower.done, 1000, 'follower after close');
    await store.close(); // idempotent

    await expectStoreError(() => appendOne(store, 'case-1', 1), 'STORE_UNAVAILABLE');
    await expectStoreError(() => store.readStream('case-1'), 'STORE_UNAVAILABLE');
    await expectStoreError(() => store.headPosition(), 'STORE_UNAVAILABLE');
    await expectStoreError(() => store.ping(), 'STORE_UNAVAILABLE');
    await expectStoreError(() => collect(store.readAll({ after: 0 })), 'STORE_UNAVAILABLE');
    await expectStoreError(
      () => collect(store.follow({ after: 0, signal: new AbortController().signal })),
      'STORE_UNAVAILABLE',
    );
  });

  it('reports a readAll interrupted by close as STORE_UNAVAILABLE', async () => {
    const store = open(':memory:');
    for (let i = 0; i < 3; i++) await appendOne(store, `case-${i}`, 0);
    const iterator = store.readAll({ after: 0, batchSize: 1 })[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toHaveLength(1);
    await store.close();
    const error = await expectStoreError(() => iterator.next(), 'STORE_UNAVAILABLE');
    expect(error).toBeInstanceOf(EventStoreError);
  });
});
