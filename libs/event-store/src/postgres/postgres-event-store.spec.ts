import { randomInt, randomUUID } from 'node:crypto';
import { getEventListeners } from 'node:events';
import pg from 'pg';
import { chainHash, GENESIS_HASH } from '../audit/canonical.js';
import { verifyChain } from '../audit/verify-chain.js';
import { EventStoreError, WrongExpectedVersionError } from '../event-store.port.js';
import type { AppendResult, RecordedEvent } from '../event-store.port.js';
import {
  caught,
  collect,
  describeEventStoreContract,
  expectStoreError,
  newEvent,
  newStreamId,
  sleep,
  startFollowing,
  within,
} from '../testing/event-store.contract.js';
import { POSTGRES_EVENT_STORE_SCHEMA_VERSION, PostgresEventStore } from './postgres-event-store.js';
import type { PostgresEventStoreOptions } from './postgres-event-store.js';

const DATABASE_URL = process.env.DATABASE_URL;
/** Without a database these tests are reported as skipped, never as passed. CI always sets DATABASE_URL. */
const describeIfPg = DATABASE_URL ? describe : describe.skip;
if (!DATABASE_URL) {
  console.warn(
    'postgres-event-store.spec: DATABASE_URL is not set, so the PostgreSQL event-store tests (contract, ' +
      'visibility, NOTIFY, races) are SKIPPED. Run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/test.',
  );
}

/** A schema of its own for every store under test, dropped afterwards. */
function uniqueSchema(): string {
  return `es_test_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
}

async function appendCommand(store: PostgresEventStore, streamId: string, count: number, expectedVersion: number) {
  const commandId = randomUUID();
  const events = Array.from({ length: count }, (_, i) => newEvent(commandId, { data: { i } }));
  return store.append(streamId, events, { expectedVersion, commandId });
}

const countResources = (kind: string): number => process.getActiveResourcesInfo().filter((r) => r === kind).length;

async function eventually(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not true within ${timeoutMs} ms`);
    await sleep(10);
  }
}

// --- the shared contract ---------------------------------------------------------------------------

describeIfPg('PostgresEventStore', () => {
  describeEventStoreContract('PostgresEventStore', async ({ now }) => {
    const store = await PostgresEventStore.open({
      connectionString: DATABASE_URL!,
      schema: uniqueSchema(),
      now,
      pollIntervalMs: 100,
    });
    return {
      store,
      cleanup: async () => {
        await store.dropSchema();
        await store.close();
      },
    };
  });
});

// --- PostgreSQL specifics ------------------------------------------------------------------------

describeIfPg('PostgresEventStore (PostgreSQL specifics)', () => {
  let admin: pg.Pool;
  const opened: PostgresEventStore[] = [];
  const schemas = new Set<string>();

  async function open(
    schema: string,
    options: Omit<PostgresEventStoreOptions, 'connectionString' | 'schema'> = {},
  ): Promise<PostgresEventStore> {
    schemas.add(schema);
    const store = await PostgresEventStore.open({ connectionString: DATABASE_URL!, schema, ...options });
    opened.push(store);
    return store;
  }

  beforeAll(() => {
    admin = new pg.Pool({ connectionString: DATABASE_URL!, max: 2, idleTimeoutMillis: 0 });
  });

  /** Server-side connections of a store's LISTEN client (it names itself after the schema). */
  async function listenerPids(schema: string): Promise<number[]> {
    const { rows } = await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [
      `event-store-listen:${schema}`,
    ]);
    return rows.map((r) => r.pid);
  }
  const listenerConnections = async (schema: string): Promise<number> => (await listenerPids(schema)).length;

  afterAll(async () => {
    await admin.end();
  });

  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    schemas.clear();
  });

  it('creates its schema, tables and migration record idempotently, also when opened concurrently', async () => {
    const schema = uniqueSchema();
    const stores = await Promise.all(Array.from({ length: 5 }, () => open(schema)));
    const again = await open(schema); // and once more, sequentially

    const columns = await admin.query<{ column_name: string; data_type: string; is_nullable: string }>(
      `SELECT column_name, data_type, is_nullable FROM information_schema.columns
        WHERE table_schema = $1 AND table_name = 'events' ORDER BY ordinal_position`,
      [schema],
    );
    expect(columns.rows.map((c) => [c.column_name, c.data_type, c.is_nullable])).toEqual([
      ['position', 'bigint', 'NO'],
      ['event_id', 'uuid', 'NO'],
      ['stream_id', 'text', 'NO'],
      ['version', 'integer', 'NO'],
      ['type', 'text', 'NO'],
      ['schema_version', 'integer', 'NO'],
      ['data', 'jsonb', 'NO'],
      ['personal', 'jsonb', 'YES'],
      ['metadata', 'jsonb', 'NO'],
      ['command_id', 'text', 'NO'],
      ['recorded_at', 'text', 'NO'],
      ['previous_hash', 'text', 'NO'],
      ['hash', 'text', 'NO'],
    ]);
    const indexes = await admin.query<{ indexdef: string }>('SELECT indexdef FROM pg_indexes WHERE schemaname = $1', [
      schema,
    ]);
    const defs = indexes.rows.map((r) => r.indexdef.replace(/^.* USING btree /, '').replaceAll('"', ''));
    expect(defs).toEqual(
      expect.arrayContaining(['(position)', '(event_id)', '(stream_id, version)', '(command_id)', '(version)']),
    );
    const migrations = await admin.query(`SELECT version FROM "${schema}".schema_migrations ORDER BY version`);
    expect(migrations.rows.map((r) => r.version)).toEqual([1, 2, 3]);
    expect(POSTGRES_EVENT_STORE_SCHEMA_VERSION).toBe(3);
    const meta = await admin.query(`SELECT key, value FROM "${schema}".store_meta`);
    expect(meta.rows).toEqual([{ key: 'store_id', value: expect.stringMatching(/^[0-9a-f-]{36}$/) }]);
    // Concurrent openers made one identity, which every instance reports.
    const identities = await Promise.all([...stores, again].map((s) => s.identity()));
    expect(new Set(identities.map((i) => i.storeId))).toEqual(new Set([meta.rows[0].value]));
    expect(identities[0]!.kind).toBe('postgres');

    // Every instance works on the same log.
    const r = await appendCommand(stores[0]!, 'case-1', 2, 0);
    expect((await again.readStream('case-1')).map((e) => e.eventId)).toEqual(r.events.map((e) => e.eventId));
    const stored = await admin.query(
      `SELECT jsonb_typeof(data) AS data, jsonb_typeof(metadata) AS metadata, metadata->>'commandId' AS meta_command,
              command_id FROM "${schema}".events ORDER BY position LIMIT 1`,
    );
    expect(stored.rows[0]).toMatchObject({ data: 'object', metadata: 'object' });
    expect(stored.rows[0].meta_command).toBe(stored.rows[0].command_id);
  });

  it('keeps its identity across reopen, one per schema', async () => {
    const schema = uniqueSchema();
    const first = await open(schema);
    const identity = await first.identity();
    await appendCommand(first, 'case-1', 1, 0);
    await first.close();
    const reopened = await open(schema);
    expect(await reopened.identity()).toEqual(identity);
    expect((await (await open(uniqueSchema())).identity()).storeId).not.toBe(identity.storeId);
  });

  it('migrates a version 1 schema: adds the columns, chains the rows there in position order, makes an identity', async () => {
    const schema = uniqueSchema();
    schemas.add(schema);
    await admin.query(`CREATE SCHEMA "${schema}"`);
    await admin.query(
      `CREATE TABLE "${schema}".schema_migrations (version INTEGER NOT NULL PRIMARY KEY, description TEXT NOT NULL,
                                                   applied_at TIMESTAMPTZ NOT NULL DEFAULT now());
       INSERT INTO "${schema}".schema_migrations (version, description) VALUES (1, 'the log');
       CREATE TABLE "${schema}".events (
         position BIGINT NOT NULL PRIMARY KEY, event_id UUID NOT NULL, stream_id TEXT NOT NULL, version INTEGER NOT NULL,
         type TEXT NOT NULL, schema_version INTEGER NOT NULL, data JSONB NOT NULL, personal JSONB NULL, metadata JSONB NOT NULL,
         command_id TEXT NOT NULL, recorded_at TEXT NOT NULL,
         CONSTRAINT events_event_id_unique UNIQUE (event_id), CONSTRAINT events_stream_version_unique UNIQUE (stream_id, version));
       CREATE INDEX events_command_id ON "${schema}".events (command_id);`,
    );
    const count = 2300;
    const eventIds: string[] = [];
    const rows = Array.from({ length: count }, (_, i) => {
      const event = newEvent(`c${i}`, { data: { i, ratio: i / 7, sci: 1e21 }, personal: i % 2 === 0 ? { name: `n${i}` } : null });
      eventIds.push(event.eventId);
      return event;
    });
    await admin.query(
      `INSERT INTO "${schema}".events (position, event_id, stream_id, version, type, schema_version, data, personal, metadata, command_id, recorded_at)
       SELECT p, e, 'case-' || (p % 10), (p - 1) / 10 + 1, 'CaseOpened', 1, d, pe, m, 'c' || p, '2024-01-01T00:00:00.000Z'
         FROM unnest($1::bigint[], $2::uuid[], $3::jsonb[], $4::jsonb[], $5::jsonb[]) AS u(p, e, d, pe, m)`,
      [
        rows.map((_, i) => i + 1),
        eventIds,
        rows.map((e) => JSON.stringify(e.data)),
        rows.map((e) => (e.personal === null ? null : JSON.stringify(e.personal))),
        rows.map((e) => JSON.stringify(e.metadata)),
      ],
    );

    const store = await open(schema);
    const all = (await collect(store.readAll({ after: 0 }))).flat();
    expect(all.map((e) => e.eventId)).toEqual(eventIds);
    let previousHash = GENESIS_HASH;
    for (const event of all) {
      if (event.previousHash !== previousHash || event.hash !== chainHash(previousHash, event)) {
        throw new Error(`event at ${event.position} is not chained`);
      }
      previousHash = event.hash;
    }
    expect(await verifyChain(store.readAll({ after: 0 }))).toMatchObject({ valid: true, eventsChecked: count, headHash: previousHash });
    const migrations = await admin.query(`SELECT version FROM "${schema}".schema_migrations ORDER BY version`);
    expect(migrations.rows.map((r) => r.version)).toEqual([1, 2, 3]);
    expect((await store.identity()).storeId).toMatch(/^[0-9a-f-]{36}$/);

    const next = await appendCommand(store, 'case-new', 1, 0);
    expect(next.events[0]!.position).toBe(count + 1);
    expect((await store.readStream('case-new'))[0]!.previousHash).toBe(previousHash);
    // The columns are required and well-formed now.
    await expect(admin.query(`UPDATE "${schema}".events SET hash = 'x' WHERE position = 1`)).rejects.toThrow(/events_hash_format/);
  });

  it('appends and reads on a schema whose name has the longest length allowed (63 characters)', async () => {
    const schema = `${uniqueSchema()}_${'x'.repeat(63)}`.slice(0, 63);
    const store = await open(schema);
    await appendCommand(store, 'case-long', 1, 0);
    await appendCommand(store, 'case-long', 1, 1);
    expect((await store.readStream('case-long')).map((e) => e.version)).toEqual([1, 2]);
    const all: number[] = [];
    for await (const batch of store.readAll({ after: 0, batchSize: 10 })) all.push(...batch.map((e) => e.position));
    expect(all).toEqual([1, 2]);
  });

  it('refuses a schema written by newer code', async () => {
    const schema = uniqueSchema();
    await open(schema);
    await admin.query(`INSERT INTO "${schema}".schema_migrations (version, description) VALUES ($1, 'future')`, [
      POSTGRES_EVENT_STORE_SCHEMA_VERSION + 1,
    ]);
    const error = await expectStoreError(
      () => PostgresEventStore.open({ connectionString: DATABASE_URL!, schema }),
      'STORE_UNAVAILABLE',
    );
    expect(error.message).toMatch(/newer/);
  });

  it('round-trips JSON values exactly and rejects what PostgreSQL cannot store', async () => {
    const store = await open(uniqueSchema());
    const commandId = randomUUID();
    const data = {
      zeta: 1,
      alpha: [3, 2, 1, { b: 'x', a: null }],
      big: 9007199254740991,
      tiny: 0.1,
      sci: 1e21,
      neg: -2.5e-7,
      text: 'Łódź — "quoted" \\ back \t tab',
      '': 'empty key',
    };
    const event = newEvent(commandId, { data, personal: { z: { y: { x: [] } } } });
    await store.append('case-json', [event], { expectedVersion: 0, commandId });
    const [read] = await store.readStream('case-json');
    expect(read!.data).toStrictEqual(data);
    expect(read!.personal).toStrictEqual({ z: { y: { x: [] } } });
    expect(read!.metadata).toStrictEqual(event.metadata);
    // JSONB reorders keys and respells numbers; the hash, over the canonical form, still matches the read.
    expect(read!.hash).toBe(chainHash(GENESIS_HASH, read!));

    const nul = randomUUID();
    await expectStoreError(
      () => store.append('case-json', [newEvent(nul, { data: { bad: 'a\u0000b' } })], { expectedVersion: 1, commandId: nul }),
      'INVALID_APPEND',
    );
    const notUuid = randomUUID();
    await expectStoreError(
      () => store.append('case-json', [newEvent(notUuid, { eventId: 'event-1' })], { expectedVersion: 1, commandId: notUuid }),
      'INVALID_APPEND',
    );
    const upper = randomUUID();
    await expectStoreError(
      () =>
        store.append('case-json', [newEvent(upper, { eventId: randomUUID().toUpperCase() })], {
          expectedVersion: 1,
          commandId: upper,
        }),
      'INVALID_APPEND',
    );
    expect(await store.headPosition()).toBe(1);
  });

  it('hashes quotes, backslashes and SQL in texts exactly (canonical text spliced in SQL), and refuses a NUL in the commandId', async () => {
    // The function splices the canonical text made in Node: the hash must still be chainHash's.
    const store = await open(uniqueSchema());
    const streamId = newStreamId();
    const commandId = `it's \\' a "cmd"'); DROP TABLE events; --`;
    const type = `Type'With\\Back"slash' || 'x`;
    const event = newEvent(commandId, { type, data: { note: `O'Brien \\n \\' $$ $tag$ '' \\\\` } });
    const result = await store.append(streamId, [event], { expectedVersion: 0, commandId });
    const [read] = await store.readStream(streamId);
    expect(read).toMatchObject({ type, data: event.data, metadata: { commandId } });
    expect(read!.hash).toBe(chainHash(GENESIS_HASH, read!));
    // The same commandId is found again: a retry answers with the first result.
    const again = await store.append(streamId, [newEvent(commandId, { type })], { expectedVersion: 0, commandId });
    expect(again).toMatchObject({ duplicate: true, events: result.events });
    expect(await store.findCommand(commandId)).toMatchObject({ duplicate: true, events: result.events });

    const nul = `cmd-\u0000-${randomUUID()}`;
    const error = await expectStoreError(
      () => store.append(streamId, [newEvent(nul)], { expectedVersion: 1, commandId: nul }),
      'INVALID_APPEND',
    );
    expect(await store.headPosition()).toBe(1);
  });

  it('lets exactly one of two instances win a race on one stream with the same expected version', async () => {
    const schema = uniqueSchema();
    const [a, b] = await Promise.all([open(schema), open(schema)]);
    for (let round = 0; round < 20; round++) {
      const streamId = newStreamId();
      const outcomes = await Promise.allSettled([appendCommand(a!, streamId, 2, 0), appendCommand(b!, streamId, 1, 0)]);
      const fulfilled = outcomes.filter((o): o is PromiseFulfilledResult<AppendResult> => o.status === 'fulfilled');
      const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(fulfilled).toHaveLength(1);
      expect(rejected).toHaveLength(1);
      const error = rejected[0]!.reason as WrongExpectedVersionError;
      expect(error).toBeInstanceOf(WrongExpectedVersionError);
      expect(error).toMatchObject({ streamId, expectedVersion: 0, actualVersion: fulfilled[0]!.value.version });
      expect((await a!.readStream(streamId)).map((e) => e.eventId)).toEqual(
        fulfilled[0]!.value.events.map((e) => e.eventId),
      );
    }
  });

  it('reports a unique violation on (stream_id, version) as WrongExpectedVersionError', async () => {
    // Only a writer that bypasses the lock can cause it; simulate one with an open transaction.
    // A pool of one: the follow-up query for the actual version must not wait for a second connection.
    const schema = uniqueSchema();
    const store = await open(schema, { poolSize: 1 });
    const streamId = newStreamId();
    const raw = await admin.connect();
    try {
      await raw.query('BEGIN');
      await raw.query(
        `INSERT INTO "${schema}".events (position, event_id, stream_id, version, type, schema_version, data, metadata, command_id, recorded_at,
                                         previous_hash, hash)
         VALUES (1000000, $1, $3, 1, 'Raw', 1, '{}', '{}', 'raw', '2024-01-01T00:00:00.000Z', $4, $4),
                (1000001, $2, $3, 2, 'Raw', 1, '{}', '{}', 'raw', '2024-01-01T00:00:00.000Z', $4, $4)`,
        [randomUUID(), randomUUID(), streamId, GENESIS_HASH],
      );
      const pending = caught(() => appendCommand(store, streamId, 1, 0));
      // The append's INSERT (in its one statement) waits for the raw transaction on the unique index.
      await eventually(
        async () =>
          (
            await admin.query(
              `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'
                  AND query LIKE $1`,
              [`SELECT * FROM "${schema}".append_events(%`],
            )
          ).rowCount === 1,
        5000,
        'append blocked on the unique index',
      );
      await raw.query('COMMIT');
      const error = await within(pending, 3000, 'append after the conflicting commit');
      expect(error).toBeInstanceOf(WrongExpectedVersionError);
      expect(error).toMatchObject({ code: 'WRONG_EXPECTED_VERSION', streamId, expectedVersion: 0, actualVersion: 2 });
    } finally {
      await raw.query('ROLLBACK').catch(() => {});
      raw.release();
    }
    expect((await store.readStream(streamId)).map((e) => e.type)).toEqual(['Raw', 'Raw']);
    expect(await store.headPosition()).toBe(1000001); // the append left nothing behind
  });

  it('never lets a follower skip an event: 8 concurrent writer instances, one follower on a ninth', async () => {
    const schema = uniqueSchema();
    const writers = await Promise.all(Array.from({ length: 8 }, () => open(schema, { poolSize: 4 })));
    const reader = await open(schema, { pollIntervalMs: 20 });
    const follower = startFollowing(reader, { after: 0, batchSize: 16 });

    const acknowledged: AppendResult[] = [];
    let conflicts = 0;
    const STREAMS_PER_WRITER = 6;
    const EVENTS_PER_STREAM = 29;

    // Streams of their own: sequential commands of 1 to 3 events, many streams in flight at once.
    async function ownStream(store: PostgresEventStore, streamId: string): Promise<void> {
      let version = 0;
      while (version < EVENTS_PER_STREAM) {
        const count = Math.min(1 + randomInt(3), EVENTS_PER_STREAM - version);
        const result = await appendCommand(store, streamId, count, version);
        acknowledged.push(result);
        version = result.version;
      }
    }
    // One stream all writers fight over, retrying from the version a conflict reports.
    async function sharedStream(store: PostgresEventStore, streamId: string, commands: number): Promise<void> {
      let expected = 0;
      for (let done = 0; done < commands; ) {
        try {
          const result = await appendCommand(store, streamId, 1 + randomInt(2), expected);
          acknowledged.push(result);
          expected = result.version;
          done += 1;
        } catch (error) {
          if (!(error instanceof WrongExpectedVersionError)) throw error;
          conflicts += 1;
          expected = error.actualVersion;
        }
      }
    }

    const shared = newStreamId('shared');
    await Promise.all(
      writers.flatMap((writer, w) => [
        ...Array.from({ length: STREAMS_PER_WRITER }, (_, s) => ownStream(writer, `case-w${w}s${s}`)),
        sharedStream(writer, shared, 10),
      ]),
    );
    const receivedWhileWriting = follower.received.length;

    const total = acknowledged.reduce((n, r) => n + r.events.length, 0);
    expect(total).toBeGreaterThanOrEqual(1500);
    expect(acknowledged.every((r) => !r.duplicate)).toBe(true);
    expect(await reader.headPosition()).toBe(total);
    await follower.waitFor(total, 20_000);
    await sleep(100); // room for anything extra (a duplicate) to arrive
    await follower.stop();

    // The follower was tailing while the writers wrote, not just reading the finished log.
    expect(receivedWhileWriting).toBeGreaterThan(0);
    expect(follower.batchSizes.length).toBeGreaterThan(total / 16);
    expect(conflicts).toBeGreaterThan(0);

    // Every acknowledged event delivered exactly once, where its append said it was.
    const received = follower.received;
    const deliveredIds = received.map((e) => e.eventId);
    expect(new Set(deliveredIds).size).toBe(deliveredIds.length);
    const acknowledgedIds = acknowledged.flatMap((r) => r.events.map((e) => e.eventId));
    expect([...deliveredIds].sort()).toEqual([...acknowledgedIds].sort());
    const byId = new Map(received.map((e) => [e.eventId, e]));
    for (const result of acknowledged) {
      for (const e of result.events) {
        expect(byId.get(e.eventId)).toMatchObject({
          streamId: result.streamId,
          version: e.version,
          position: e.position,
          recordedAt: result.recordedAt,
        });
      }
    }

    // Positions strictly increasing and contiguous from 1; recordedAt never decreasing.
    expect(received.map((e) => e.position)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    for (let i = 1; i < received.length; i++) {
      expect(received[i]!.recordedAt >= received[i - 1]!.recordedAt).toBe(true);
    }

    // Within each stream, versions contiguous from 1 in log order.
    const versionsByStream = new Map<string, number[]>();
    for (const e of received) {
      const versions = versionsByStream.get(e.streamId) ?? [];
      versions.push(e.version);
      versionsByStream.set(e.streamId, versions);
    }
    expect(versionsByStream.size).toBe(8 * STREAMS_PER_WRITER + 1);
    for (const [streamId, versions] of versionsByStream) {
      expect({ streamId, versions }).toEqual({ streamId, versions: versions.map((_, i) => i + 1) });
    }
    expect(versionsByStream.get('case-w0s0')).toHaveLength(EVENTS_PER_STREAM);

    // And the log as read back in one pass agrees with what the follower saw.
    const all: RecordedEvent[] = (await collect(reader.readAll({ after: 0, batchSize: 500 }))).flat();
    expect(all).toStrictEqual(received);
    // The eight writers' appends form one unbroken hash chain, in position order.
    expect(await verifyChain([all])).toMatchObject({ valid: true, eventsChecked: total, headHash: (await reader.headHash()).hash });
  }, 60_000);

  it('wakes a follower on another instance by NOTIFY, long before its poll, and leaves nothing behind', async () => {
    const schema = uniqueSchema();
    const writer = await open(schema, { poolSize: 1 });
    const reader = await open(schema, { pollIntervalMs: 60_000, poolSize: 1 });
    const first = await appendCommand(writer, 'case-n', 1, 0);
    await reader.ping();
    expect(await listenerConnections(schema)).toBe(0); // (also: the admin pool has its connection before counting)
    const baseSockets = countResources('TCPSocketWrap');
    const baseTimers = countResources('Timeout');

    const follower = startFollowing(reader, { after: 0 });
    await follower.waitFor(1, 2000);
    await sleep(100); // the follower has gone back to waiting for its 60 s poll
    expect(countResources('TCPSocketWrap')).toBe(baseSockets + 1); // its LISTEN connection
    expect(await listenerConnections(schema)).toBe(1);

    for (let i = 1; i <= 3; i++) {
      const started = Date.now();
      const next = await appendCommand(writer, 'case-n', 1, i);
      await follower.waitFor(i + 1, 2000);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(follower.received[i]!.eventId).toBe(next.events[0]!.eventId);
      await sleep(50);
    }
    expect(follower.received[0]!.eventId).toBe(first.events[0]!.eventId);

    const stopped = Date.now();
    await follower.stop(1000); // abort does not wait for the 60 s poll
    expect(Date.now() - stopped).toBeLessThan(1000);
    expect(getEventListeners(follower.controller.signal, 'abort')).toHaveLength(0);
    // Other pools' idle timers and sockets may only have gone away meanwhile; nothing of the follower stays.
    await eventually(() => countResources('Timeout') <= baseTimers, 2000, 'poll timer cleared');
    await eventually(() => countResources('TCPSocketWrap') <= baseSockets, 2000, 'LISTEN socket closed');
    await eventually(async () => (await listenerConnections(schema)) === 0, 2000, 'LISTEN connection ended');
  });

  it('keeps following by polling when its LISTEN connection is killed', async () => {
    const schema = uniqueSchema();
    const writer = await open(schema);
    const reader = await open(schema, { pollIntervalMs: 200 });
    const follower = startFollowing(reader, { after: 0 });
    await eventually(async () => (await listenerConnections(schema)) === 1, 2000, 'LISTEN connection up');
    await appendCommand(writer, 'case-k', 1, 0);
    await follower.waitFor(1, 2000);

    await admin.query('SELECT pg_terminate_backend($1)', [(await listenerPids(schema))[0]]);
    await eventually(async () => (await listenerConnections(schema)) === 0, 2000, 'LISTEN connection gone');
    await sleep(50);
    await appendCommand(writer, 'case-k', 2, 1);
    await follower.waitFor(3, 2000);
    expect(follower.received.map((e) => e.version)).toEqual([1, 2, 3]);
    await follower.stop();
  });

  it('can be aborted while its LISTEN connection is still being opened, and closes it', async () => {
    const schema = uniqueSchema();
    const store = await open(schema, { pollIntervalMs: 60_000 });
    const baseSockets = countResources('TCPSocketWrap');
    for (let i = 0; i < 5; i++) {
      const controller = new AbortController();
      const iterator = store.follow({ after: 0, signal: controller.signal })[Symbol.asyncIterator]();
      const next = iterator.next(); // runs up to the wait for LISTEN
      controller.abort();
      expect(await within(next, 1000, 'follow aborted while connecting')).toEqual({ done: true, value: undefined });
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    }
    await within(store.close(), 2000, 'close');
    // pool.end() does not wait for its sockets to close, hence eventually: the pool's socket and no LISTEN one.
    await eventually(() => countResources('TCPSocketWrap') <= baseSockets - 1, 2000, 'all sockets closed');
    await eventually(async () => (await listenerConnections(schema)) === 0, 2000, 'no LISTEN connection left');
  });

  it('ends followers on close and rejects every later call with STORE_UNAVAILABLE', async () => {
    const store = await open(uniqueSchema(), { pollIntervalMs: 60_000 });
    await appendCommand(store, 'case-1', 1, 0);
    const follower = startFollowing(store, { after: 1 });
    await sleep(50);
    const iterator = store.readAll({ after: 0, batchSize: 1 })[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toHaveLength(1);
    await store.close();
    await within(follower.done, 1000, 'follower after close');
    await store.close(); // idempotent

    await expectStoreError(() => appendCommand(store, 'case-1', 1, 1), 'STORE_UNAVAILABLE');
    await expectStoreError(() => store.readStream('case-1'), 'STORE_UNAVAILABLE');
    await expectStoreError(() => store.findCommand(randomUUID()), 'STORE_UNAVAILABLE');
    await expectStoreError(() => store.headPosition(), 'STORE_UNAVAILABLE');
    await expectStoreError(() => store.ping(), 'STORE_UNAVAILABLE');
    await expectStoreError(() => iterator.next(), 'STORE_UNAVAILABLE');
    await expectStoreError(() => collect(store.readAll({ after: 0 })), 'STORE_UNAVAILABLE');
    await expectStoreError(
      () => collect(store.follow({ after: 0, signal: new AbortController().signal })),
      'STORE_UNAVAILABLE',
    );
  });
});

// --- no database needed ----------------------------------------------------------------------------

describe('PostgresEventStore (without a reachable database)', () => {
  const unreachable = 'postgres://postgres@127.0.0.1:1/test';

  it('reports a server it cannot reach as STORE_UNAVAILABLE', async () => {
    const error = await expectStoreError(
      () => PostgresEventStore.open({ connectionString: unreachable, schema: 'es_unreachable' }),
      'STORE_UNAVAILABLE',
    );
    expect(error).toBeInstanceOf(EventStoreError);

    const store = new PostgresEventStore({ connectionString: unreachable });
    try {
      await expectStoreError(() => store.ping(), 'STORE_UNAVAILABLE');
      await expectStoreError(() => appendCommand(store, 'case-1', 1, 0), 'STORE_UNAVAILABLE');
      await expectStoreError(() => store.readStream('case-1'), 'STORE_UNAVAILABLE');
      await expectStoreError(() => collect(store.readAll({ after: 0 })), 'STORE_UNAVAILABLE');
      await expectStoreError(
        () => collect(store.follow({ after: 0, signal: new AbortController().signal })),
        'STORE_UNAVAILABLE',
      );
    } finally {
      await store.close();
    }
  });

  it('validates its options and the append before touching the database', async () => {
    expect(() => new PostgresEventStore({ connectionString: '' })).toThrow(EventStoreError);
    for (const schema of ['', 'Public', 'a-b', 'x; DROP TABLE y', 'a'.repeat(64)]) {
      expect(() => new PostgresEventStore({ connectionString: unreachable, schema })).toThrow(RangeError);
    }
    expect(() => new PostgresEventStore({ connectionString: unreachable, poolSize: 0 })).toThrow(RangeError);
    expect(() => new PostgresEventStore({ connectionString: unreachable, pollIntervalMs: -1 })).toThrow(RangeError);

    const store = new PostgresEventStore({ connectionString: unreachable });
    try {
      await expectStoreError(() => appendCommand(store, 'Case-1', 1, 0), 'INVALID_STREAM_ID');
      const commandId = randomUUID();
      await expectStoreError(
        () => store.append('case-1', [newEvent(commandId, { eventId: 'not-a-uuid' })], { expectedVersion: 0, commandId }),
        'INVALID_APPEND',
      );
      await expect(store.dropSchema()).rejects.toThrow(/public/);
    } finally {
      await store.close();
    }
  });
});
