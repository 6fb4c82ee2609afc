/**
 * The peer: Emmett's SQLite and PostgreSQL event stores (`@event-driven-io/emmett-sqlite`,
 * `@event-driven-io/emmett-postgresql`) on the same workload as this project's stores, in the same
 * segments: single-command appends, batched imports (one case per append), reading every stream
 * back, and aggregating every stream (folding it into the case state with the real `evolve`).
 *
 * Emmett lives in a package of its own, `bench/peers/` (its own package.json and lockfile, installed
 * here on demand with `--legacy-peer-deps`: emmett-sqlite 0.42.4 names a peer, emmett 0.42.4, that
 * was never published, and the packages load modules they do not declare). It is loaded with a
 * dynamic `import()` of `bench/peers/emmett.mjs`, so neither the build nor the project's own
 * dependencies know of it; what is used of its API is typed below.
 *
 * Emmett gets its best setup: on SQLite one shared connection (`connectionOptions: { singleton:
 * true, connection }`, WAL, as Emmett sets it) with `synchronous = NORMAL`, the durability this
 * project's SQLite store uses (Emmett's own default, FULL, would sync on every commit); on
 * PostgreSQL its own pool in a fresh database of its own.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import { decodeCaseEvent } from '#application';
import { caseDecider, type CaseState } from '#domain';
import { PostgresEventStore, SqliteEventStore, type EventStore, type JsonObject, type RecordedEvent } from '#event-store';
import { TIME_ZONE, type PlannedAppend } from './generator.js';
import { appendPostgresSideBySide, dropSchemas } from './postgres-append.js';
import { appendSqliteSideBySide, type AppendFigure, type SegmentAppender } from './sqlite-append.js';

// --- the part of Emmett's API used here ------------------------------------------------------------

interface EmmettEvent {
  type: string;
  data: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}
interface EmmettReadEvent extends EmmettEvent {
  metadata: Record<string, unknown> & { streamPosition: bigint; globalPosition: bigint };
}
interface EmmettEventStore {
  appendToStream(streamName: string, events: EmmettEvent[], options?: { expectedStreamVersion?: bigint }): Promise<unknown>;
  readStream(streamName: string): Promise<{ events: EmmettReadEvent[]; currentStreamVersion: bigint }>;
  aggregateStream<State>(
    streamName: string,
    options: { evolve: (state: State, event: EmmettReadEvent) => State; initialState: () => State },
  ): Promise<{ state: State; currentStreamVersion: bigint }>;
  close?(): Promise<void>;
}
interface EmmettSqliteConnection {
  command(sql: string, values?: unknown[]): Promise<unknown>;
  close(): void;
}
interface EmmettModules {
  sqlite: {
    sqliteConnection(options: { fileName: string }): EmmettSqliteConnection;
    getSQLiteEventStore(options: {
      fileName: string;
      connectionOptions: { singleton: true; connection: EmmettSqliteConnection };
      schema?: { autoMigration?: 'None' | 'CreateOrUpdate' };
    }): EmmettEventStore;
  };
  postgresql: {
    getPostgreSQLEventStore(connectionString: string, options?: { schema?: { autoMigration?: 'None' | 'CreateOrUpdate' } }): EmmettEventStore & { close(): Promise<void> };
  };
}

// --- installing and loading ------------------------------------------------------------------------

export type PeerLoad = { ok: true; modules: EmmettModules; installSeconds: number | null; versions: Record<string, string> } | { ok: false; reason: string; installSeconds: number | null };

const PEER_PACKAGES = ['@event-driven-io/emmett', '@event-driven-io/emmett-sqlite', '@event-driven-io/emmett-postgresql', 'sqlite3'];

/** Installs `bench/peers` when its node_modules is missing, then imports Emmett. Never throws: a failure is a reason. */
export async function loadPeers(root: string, log: (message: string) => void): Promise<PeerLoad> {
  const dir = join(root, 'bench', 'peers');
  let installSeconds: number | null = null;
  // Missing node_modules, or one left incomplete by an interrupted or failed install.
  if (!PEER_PACKAGES.every((name) => existsSync(join(dir, 'node_modules', ...name.split('/'), 'package.json')))) {
    log('installing the peer packages (Emmett) into bench/peers: npm install --legacy-peer-deps (builds sqlite3 from source; not part of any timed figure)');
    const started = Date.now();
    const failure = await new Promise<string | null>((resolve) => {
      execFile(
        'npm',
        ['install', '--legacy-peer-deps', '--no-audit', '--no-fund', '--prefix', dir],
        { cwd: root, timeout: 15 * 60_000, maxBuffer: 16 * 2 ** 20 },
        (error, _stdout, stderr) => resolve(error ? `${error.message.split('\n')[0]}; ${stderr.trim().split('\n').slice(-3).join(' / ')}` : null),
      );
    });
    installSeconds = (Date.now() - started) / 1000;
    if (failure) return { ok: false, reason: `installing bench/peers failed after ${installSeconds.toFixed(0)} s (${failure})`, installSeconds };
    log(`peer packages installed in ${installSeconds.toFixed(0)} s`);
  }
  try {
    const modules = (await import(pathToFileURL(join(dir, 'emmett.mjs')).href)) as EmmettModules;
    const versions: Record<string, string> = {};
    for (const name of PEER_PACKAGES) {
      const file = join(dir, 'node_modules', ...name.split('/'), 'package.json');
      if (existsSync(file)) versions[name] = (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
    }
    return { ok: true, modules, installSeconds, versions };
  } catch (error) {
    return { ok: false, reason: `loading Emmett from bench/peers failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`, installSeconds };
  }
}

// --- the same events, as Emmett events -------------------------------------------------------------

/**
 * Emmett's event has `type`, `data` and `metadata`: the envelope's `data` and `personal` go into
 * `data`, the rest of the envelope (ids, schema version, the recording instant the port's clock
 * read) into `metadata`, so that a read-back can be decoded and folded exactly like the port's.
 */
function toEmmett(a: PlannedAppend): EmmettEvent[] {
  return a.events.map((e) => ({
    type: e.type,
    data: { payload: e.data, personal: e.personal },
    metadata: { ...e.metadata, eventId: e.eventId, schemaVersion: e.schemaVersion, recordedAt: a.recordedAt },
  }));
}

function fromEmmett(streamId: string, e: EmmettReadEvent): RecordedEvent {
  const m = e.metadata;
  return {
    eventId: m['eventId'] as string,
    type: e.type,
    schemaVersion: m['schemaVersion'] as number,
    data: e.data['payload'] as JsonObject,
    personal: e.data['personal'] as JsonObject | null,
    metadata: m as unknown as RecordedEvent['metadata'],
    streamId,
    version: Number(m.streamPosition),
    position: Number(m.globalPosition),
    recordedAt: m['recordedAt'] as string,
  } as RecordedEvent;
}

export function emmettAppender(store: EmmettEventStore): SegmentAppender {
  return {
    append: async (a) => {
      await store.appendToStream(a.streamId, toEmmett(a), { expectedStreamVersion: BigInt(a.expectedVersion) });
    },
  };
}

export async function openEmmettSqlite(modules: EmmettModules, fileName: string): Promise<{ store: EmmettEventStore; close: () => Promise<void> }> {
  const connection = modules.sqlite.sqliteConnection({ fileName });
  await connection.command('PRAGMA synchronous = NORMAL');
  const store = modules.sqlite.getSQLiteEventStore({ fileName, connectionOptions: { singleton: true, connection }, schema: { autoMigration: 'CreateOrUpdate' } });
  return {
    store,
    close: async () => {
      await store.close?.();
      connection.close();
    },
  };
}

/** A fresh database for Emmett (its tables and functions live in `public`), dropped by `dropDatabase`. */
export async function createDatabase(url: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function dropDatabase(url: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

export async function openEmmettPostgres(modules: EmmettModules, url: string): Promise<{ store: EmmettEventStore; close: () => Promise<void> }> {
  const store = modules.postgresql.getPostgreSQLEventStore(url, { schema: { autoMigration: 'CreateOrUpdate' } });
  return { store, close: () => store.close() };
}

// --- read-back and aggregate, side by side ---------------------------------------------------------

export interface ReadFigures {
  streams: number;
  events: number;
  read: { port: AppendFigure; peer: AppendFigure; raw: AppendFigure };
  aggregate: { port: AppendFigure; peer: AppendFigure; raw: AppendFigure };
}

/** Reads stream rows (data, personal, metadata as JSON text or parsed) the way a hand-written reader would. */
export type RawStreamReader = (streamId: string) => Promise<RecordedEvent[]>;

const decider = caseDecider({ timeZone: TIME_ZONE });

function fold(events: readonly RecordedEvent[]): CaseState {
  let state = decider.initialState();
  for (const e of events) state = decider.evolve(state, decodeCaseEvent(e));
  return state;
}

const perSecond = (events: number, streams: number, ns: bigint): AppendFigure => {
  const seconds = Number(ns) / 1e9;
  return { events, appends: streams, seconds, eventsPerSecond: events / seconds };
};

/**
 * Every stream read back, then folded, by the port, Emmett and a raw reader, in segments of
 * `segmentStreams` streams, each side in turn. Each side must see the same events (count and last
 * event id per stream) and fold them into the same state (kind and version).
 */
export async function readSideBySide(
  port: EventStore,
  peer: EmmettEventStore,
  raw: RawStreamReader,
  streams: ReadonlyMap<string, { events: number; lastEventId: string }>,
  segmentStreams: number,
): Promise<ReadFigures> {
  const ids = [...streams.keys()];
  const ns = { readPort: 0n, readPeer: 0n, readRaw: 0n, aggPort: 0n, aggPeer: 0n, aggRaw: 0n };
  let events = 0;
  const check = (side: string, streamId: string, read: readonly RecordedEvent[]) => {
    const want = streams.get(streamId)!;
    if (read.length !== want.events || read[read.length - 1]?.eventId !== want.lastEventId) {
      throw new Error(`${side} read ${read.length} events of ${streamId} ending with ${read[read.length - 1]?.eventId}; expected ${want.events} ending with ${want.lastEventId}`);
    }
  };
  const sameState = (side: string, streamId: string, state: CaseState) => {
    if (state.kind !== 'opened' || state.version !== streams.get(streamId)!.events) throw new Error(`${side} folded ${streamId} into ${state.kind} at version ${state.version}`);
  };
  for (let from = 0; from < ids.length; from += segmentStreams) {
    const segment = ids.slice(from, from + segmentStreams);
    let t = process.hrtime.bigint();
    for (const id of segment) check('the port', id, await port.readStream(id));
    ns.readPort += process.hrtime.bigint() - t;
    t = process.hrtime.bigint();
    for (const id of segment) {
      const r = await peer.readStream(id);
      check('Emmett', id, r.events.map((e) => fromEmmett(id, e)));
    }
    ns.readPeer += process.hrtime.bigint() - t;
    t = process.hrtime.bigint();
    for (const id of segment) check('the raw reader', id, await raw(id));
    ns.readRaw += process.hrtime.bigint() - t;

    t = process.hrtime.bigint();
    for (const id of segment) sameState('the port', id, fold(await port.readStream(id)));
    ns.aggPort += process.hrtime.bigint() - t;
    t = process.hrtime.bigint();
    for (const id of segment) {
      const r = await peer.aggregateStream<CaseState>(id, {
        evolve: (state, e) => decider.evolve(state, decodeCaseEvent(fromEmmett(id, e))),
        initialState: decider.initialState,
      });
      sameState('Emmett', id, r.state);
    }
    ns.aggPeer += process.hrtime.bigint() - t;
    t = process.hrtime.bigint();
    for (const id of segment) sameState('the raw reader', id, fold(await raw(id)));
    ns.aggRaw += process.hrtime.bigint() - t;
    for (const id of segment) events += streams.get(id)!.events;
  }
  const f = (x: bigint) => perSecond(events, ids.length, x);
  return {
    streams: ids.length,
    events,
    read: { port: f(ns.readPort), peer: f(ns.readPeer), raw: f(ns.readRaw) },
    aggregate: { port: f(ns.aggPort), peer: f(ns.aggPeer), raw: f(ns.aggRaw) },
  };
}

/** What each stream should hold after the appends: event count and last event id. */
export function expectedStreams(appends: readonly PlannedAppend[]): Map<string, { events: number; lastEventId: string }> {
  const streams = new Map<string, { events: number; lastEventId: string }>();
  for (const a of appends) {
    const s = streams.get(a.streamId) ?? { events: 0, lastEventId: '' };
    s.events += a.events.length;
    s.lastEventId = a.events[a.events.length - 1]!.eventId;
    streams.set(a.streamId, s);
  }
  return streams;
}

interface RawRow {
  event_id: string;
  stream_id: string;
  version: number;
  position: number;
  type: string;
  schema_version: number;
  data: string;
  personal: string | null;
  metadata: string;
  recorded_at: string;
}

const rowToEvent = (r: RawRow, parse: boolean): RecordedEvent =>
  ({
    eventId: r.event_id,
    streamId: r.stream_id,
    version: Number(r.version),
    position: Number(r.position),
    type: r.type,
    schemaVersion: r.schema_version,
    data: parse ? JSON.parse(r.data) : r.data,
    personal: r.personal === null ? null : parse ? JSON.parse(r.personal) : r.personal,
    metadata: parse ? JSON.parse(r.metadata) : r.metadata,
    recordedAt: r.recorded_at,
  }) as RecordedEvent;

const COLUMNS = 'event_id, stream_id, version, position, type, schema_version, data, personal, metadata, recorded_at';

/** The raw reference on SQLite: one better-sqlite3 prepared statement and JSON.parse. */
export function rawSqliteReader(db: Database.Database): RawStreamReader {
  const select = db.prepare(`SELECT ${COLUMNS} FROM events WHERE stream_id = ? ORDER BY version`);
  return async (streamId) => (select.all(streamId) as RawRow[]).map((r) => rowToEvent(r, true));
}

/** The raw reference on PostgreSQL: one named prepared statement on one client (node-postgres parses the JSONB columns). */
export function rawPostgresReader(client: pg.Client, schema: string): RawStreamReader {
  const text = `SELECT ${COLUMNS} FROM "${schema}".events WHERE stream_id = $1 ORDER BY version`;
  return async (streamId) => (await client.query<RawRow>({ name: `raw-read-${schema}`, text, values: [streamId] })).rows.map((r) => rowToEvent(r, false));
}

// --- the whole peer workload -----------------------------------------------------------------------

export interface PeerSide {
  single: { port: AppendFigure; raw: AppendFigure; peer: AppendFigure };
  batched: { port: AppendFigure; raw: AppendFigure; peer: AppendFigure };
  reads: ReadFigures;
}

export type PeerResults =
  | { skipped: string; installSeconds: number | null }
  | {
      cases: number;
      events: number;
      installSeconds: number | null;
      versions: Record<string, string>;
      sqlite: PeerSide | { skipped: string };
      postgres: PeerSide | { skipped: string };
    };

/** The three figures of a side-by-side append run (and nothing else it returned). */
const threeWay = (r: { port: AppendFigure; raw: AppendFigure; peer?: AppendFigure }) => {
  if (!r.peer) throw new Error('the peer was not measured');
  return { port: r.port, raw: r.raw, peer: r.peer };
};

/**
 * The same appends (single-command, then batched) through this project's store, raw and Emmett,
 * segment by segment, then every stream of the single-command logs read back and aggregated by each.
 */
export async function peerSideBySide(options: {
  root: string;
  work: string;
  cases: number;
  single: readonly PlannedAppend[];
  batched: readonly PlannedAppend[];
  postgresUrl: string | null;
  log: (message: string) => void;
}): Promise<PeerResults> {
  const { work, log } = options;
  const loaded = await loadPeers(options.root, log);
  if (!loaded.ok) {
    log(`PEER NOT MEASURED: ${loaded.reason}`);
    return { skipped: `not measured: ${loaded.reason}`, installSeconds: loaded.installSeconds };
  }
  const events = options.single.reduce((n, a) => n + a.events.length, 0);
  const segmentEvents = Math.max(200, Math.round(events / 10));
  const segmentStreams = Math.max(10, Math.round(options.cases / 10));
  const streams = expectedStreams(options.single);
  mkdirSync(work, { recursive: true });

  // SQLite
  log(`peer, SQLite: single-command appends, ours, raw and Emmett side by side (${options.cases} cases, ${options.single.length} appends)`);
  let emmett = await openEmmettSqlite(loaded.modules, join(work, 'emmett-single.sqlite'));
  let single;
  try {
    single = threeWay(await appendSqliteSideBySide(join(work, 'single-port.sqlite'), join(work, 'single-raw.sqlite'), options.single, { clock: true, segmentEvents, peer: emmettAppender(emmett.store) }));
  } finally {
    await emmett.close();
  }
  log('peer, SQLite: read back and aggregate every stream, ours, Emmett and raw side by side');
  emmett = await openEmmettSqlite(loaded.modules, join(work, 'emmett-single.sqlite'));
  const port = await SqliteEventStore.open({ filename: join(work, 'single-port.sqlite') });
  const rawDb = new Database(join(work, 'single-raw.sqlite'), { readonly: true });
  let reads: ReadFigures;
  try {
    reads = await readSideBySide(port, emmett.store, rawSqliteReader(rawDb), streams, segmentStreams);
  } finally {
    rawDb.close();
    await port.close();
    await emmett.close();
  }
  log(`peer, SQLite: batched imports side by side (${options.batched.length} appends)`);
  emmett = await openEmmettSqlite(loaded.modules, join(work, 'emmett-batched.sqlite'));
  let batched;
  try {
    batched = threeWay(await appendSqliteSideBySide(join(work, 'batched-port.sqlite'), join(work, 'batched-raw.sqlite'), options.batched, { clock: false, segmentEvents, peer: emmettAppender(emmett.store) }));
  } finally {
    await emmett.close();
  }
  const sqlite: PeerSide = { single, batched, reads };

  // PostgreSQL
  let postgres: PeerSide | { skipped: string } = { skipped: 'skipped: DATABASE_URL is not set (or --no-pg)' };
  if (options.postgresUrl) {
    const url = options.postgresUrl;
    const tag = `bench_peer_${process.pid}_${Date.now().toString(36)}`;
    const schemas = [`${tag}_single_port`, `${tag}_single_raw`, `${tag}_batched_port`, `${tag}_batched_raw`];
    const databases = [`${tag}_emmett_single`, `${tag}_emmett_batched`];
    try {
      log(`peer, PostgreSQL: single-command appends, ours, raw COPY and Emmett side by side (${options.single.length} appends)`);
      const singleUrl = await createDatabase(url, databases[0]!);
      let pgEmmett = await openEmmettPostgres(loaded.modules, singleUrl);
      let pgSingle;
      try {
        pgSingle = threeWay(await appendPostgresSideBySide(url, schemas[0]!, schemas[1]!, options.single, { clock: true, segmentEvents, peer: emmettAppender(pgEmmett.store) }));
      } finally {
        await pgEmmett.close();
      }
      log('peer, PostgreSQL: read back and aggregate every stream side by side');
      pgEmmett = await openEmmettPostgres(loaded.modules, singleUrl);
      const pgPort = await PostgresEventStore.open({ connectionString: url, schema: schemas[0]! });
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      let pgReads: ReadFigures;
      try {
        pgReads = await readSideBySide(pgPort, pgEmmett.store, rawPostgresReader(client, schemas[1]!), streams, segmentStreams);
      } finally {
        await client.end();
        await pgPort.close();
        await pgEmmett.close();
      }
      log(`peer, PostgreSQL: batched imports side by side (${options.batched.length} appends)`);
      pgEmmett = await openEmmettPostgres(loaded.modules, await createDatabase(url, databases[1]!));
      let pgBatched;
      try {
        pgBatched = threeWay(await appendPostgresSideBySide(url, schemas[2]!, schemas[3]!, options.batched, { clock: false, segmentEvents, peer: emmettAppender(pgEmmett.store) }));
      } finally {
        await pgEmmett.close();
      }
      postgres = { single: pgSingle, batched: pgBatched, reads: pgReads };
    } finally {
      await dropSchemas(url, schemas).catch(() => undefined);
      for (const d of databases) await dropDatabase(url, d).catch(() => undefined);
    }
  }
  rmSync(work, { recursive: true, force: true });
  return { cases: options.cases, events, installSeconds: loaded.installSeconds, versions: loaded.versions, sqlite, postgres };
}
