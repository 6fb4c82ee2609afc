/**
 * The parts of the harness that run in a process of their own, so that their time and memory are
 * not those of the process holding the generated data set:
 *
 *   worker.js rebuild  --events F --read-models F   Projector.rebuild() as createProjector wires it
 *   worker.js raw-read --events F                   the reference: read the log and JSON.parse it
 *   worker.js port-read --events F                  the log through EventStore.readAll (for the breakdown)
 *   worker.js raw-write-models --read-models F --out F   the rows a rebuild wrote, inserted raw (a floor)
 *   worker.js queries  --events F --read-models F --samples N --seed S [--reference-samples K]
 *                      (the references run on the first K samples only: at a million cases an interval
 *                      scan takes seconds, and the port's figure needs all N)
 *
 * Each prints one line of JSON on stdout.
 */
import { parseArgs } from 'node:util';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { decodeCaseEvent } from '#application';
import { loadEnvironment } from '#config';
import { addDays, viewCase, type CaseStatus } from '#domain';
import { SqliteEventStore } from '#event-store';
import { createProjector } from '#infrastructure';
import { countByStatus, openSqliteReadModels } from '#projections';
import { SIMULATION_END_DAY, TIME_ZONE } from './generator.js';
import { Rng } from './prng.js';
import { latency, RssSampler } from './stats.js';

const { positionals, values } = parseArgs({
  args: process.argv.slice(2),
  allowPositionals: true,
  options: {
    events: { type: 'string' },
    'read-models': { type: 'string' },
    samples: { type: 'string' },
    'reference-samples': { type: 'string' },
    seed: { type: 'string' },
    out: { type: 'string' },
  },
});

const required = (name: 'events' | 'read-models'): string => {
  const v = values[name];
  if (!v) throw new Error(`--${name} is required`);
  return v;
};

const elapsed = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e9;
const ms = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e6;

async function rebuild(): Promise<object> {
  const eventsFile = required('events');
  const env = loadEnvironment({ TIME_ZONE, DATA_DIR: dirname(eventsFile) });
  const store = new SqliteEventStore({ filename: eventsFile });
  const readModels = await openSqliteReadModels(required('read-models'));
  const projector = createProjector(env, store, readModels);
  try {
    const rss = new RssSampler();
    const started = process.hrtime.bigint();
    const result = await projector.rebuild(() => rss.sample());
    const seconds = elapsed(started);
    const memory = rss.stop();
    const open = `recorded_to <> '9999-12-31T23:59:59.999Z'`;
    const rows = (await readModels.query(
      `SELECT (SELECT COUNT(*) FROM case_profiles) AS caseProfiles, (SELECT COUNT(*) FROM case_nationalities) AS caseNationalities,
              (SELECT COUNT(*) FROM status_intervals) AS statusIntervals, (SELECT COUNT(*) FROM flow_facts) AS flowFacts,
              (SELECT COUNT(*) FROM amnesty_request_intervals) AS amnestyRequestIntervals, (SELECT COUNT(*) FROM audit_log) AS auditLog,
              (SELECT COUNT(*) FROM status_intervals WHERE ${open}) + (SELECT COUNT(*) FROM flow_facts WHERE ${open})
                + (SELECT COUNT(*) FROM amnesty_request_intervals WHERE ${open}) AS closedRows`,
    )) as Record<string, number>[];
    // What stays on the heap once the rebuild is done (mostly the projection's cache of folded cases).
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const heapRetainedAfter = gc ? process.memoryUsage().heapUsed : null;
    return { events: result.events, seconds, eventsPerSecond: result.events / seconds, ...memory, heapRetainedAfter, readModelRows: rows[0] };
  } finally {
    await projector.stop();
    await readModels.destroy();
    await store.close();
  }
}

function rawRead(): object {
  const db = new Database(required('events'), { readonly: true });
  try {
    const rss = new RssSampler();
    const started = process.hrtime.bigint();
    let events = 0;
    let checksum = 0;
    const select = db.prepare(
      'SELECT position, event_id, stream_id, version, type, schema_version, data, personal, metadata, recorded_at, previous_hash, hash FROM events ORDER BY position',
    );
    for (const row of select.iterate() as Iterable<{ data: string; personal: string | null; metadata: string; version: number }>) {
      const data = JSON.parse(row.data) as object;
      const personal = row.personal === null ? null : (JSON.parse(row.personal) as object);
      const metadata = JSON.parse(row.metadata) as { occurredOn: string };
      // Touch what was parsed, so that nothing is optimised away.
      checksum += row.version + metadata.occurredOn.length + (personal === null ? 0 : 1) + (data === null ? 0 : 1);
      events += 1;
      if ((events & 1023) === 0) rss.sample();
    }
    const seconds = elapsed(started);
    return { events, seconds, eventsPerSecond: events / seconds, checksum, ...rss.stop() };
  } finally {
    db.close();
  }
}

/** The tables a rebuild writes, in the order the projector writes them. */
const REBUILT_TABLES = ['case_profiles', 'case_nationalities', 'status_intervals', 'flow_facts', 'amnesty_request_intervals', 'audit_log'];

/**
 * A floor for any rebuild that writes these read models: the rows a rebuild wrote (read from
 * `--read-models`), inserted again into a fresh read-model file (`--out`, same migrations) with raw
 * prepared statements, 5,000 rows per transaction, every row in its final state (no UPDATEs).
 */
async function rawWriteModels(): Promise<object> {
  const source = new Database(required('read-models'), { readonly: true });
  const target = values.out;
  if (!target) throw new Error('--out is required');
  await (await openSqliteReadModels(target)).destroy();
  const db = new Database(target);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    const tables = REBUILT_TABLES.map((table) => {
      const columns = (source.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
      const rows = source.prepare(`SELECT ${columns.map((c) => `"${c}"`).join(', ')} FROM ${table} ORDER BY rowid`).raw().all() as unknown[][];
      const insert = db.prepare(`INSERT INTO ${table} (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
      return { rows, insert };
    });
    const events = (source.prepare('SELECT COUNT(*) AS n FROM audit_log').get() as { n: number }).n;
    const total = tables.reduce((n, t) => n + t.rows.length, 0);
    const write = db.transaction((insert: Database.Statement, rows: unknown[][], from: number, to: number) => {
      for (let i = from; i < to; i++) insert.run(...rows[i]!);
    });
    const started = process.hrtime.bigint();
    for (const { rows, insert } of tables) for (let i = 0; i < rows.length; i += 5000) write(insert, rows, i, Math.min(rows.length, i + 5000));
    const seconds = elapsed(started);
    return { events, rows: total, seconds, rowsPerSecond: total / seconds, eventsPerSecond: events / seconds };
  } finally {
    db.close();
    source.close();
  }
}

async function portRead(): Promise<object> {
  const store = new SqliteEventStore({ filename: required('events') });
  try {
    const rss = new RssSampler();
    const started = process.hrtime.bigint();
    let events = 0;
    for await (const batch of store.readAll({ after: 0, batchSize: 1000 })) {
      for (const e of batch) decodeCaseEvent(e);
      events += batch.length;
      rss.sample();
    }
    const seconds = elapsed(started);
    return { events, seconds, eventsPerSecond: events / seconds, ...rss.stop() };
  } finally {
    await store.close();
  }
}

type Counts = Record<CaseStatus, number>;

async function queries(): Promise<object> {
  const eventsFile = required('events');
  const samples = Number(values.samples ?? '500');
  const referenceSamples = Math.min(samples, Number(values['reference-samples'] ?? samples));
  // Warm-up queries run the reference too only when it is measured on every sample.
  const runsReference = (i: number) => i < referenceSamples && (i >= 0 || referenceSamples === samples);
  const rng = new Rng(Number(values.seed ?? '1'), 99);
  const store = new SqliteEventStore({ filename: eventsFile });
  const readModels = await openSqliteReadModels(required('read-models'));
  const rawLog = new Database(eventsFile, { readonly: true });
  const rawModels = new Database(required('read-models'), { readonly: true });
  try {
    const span = rawLog.prepare('SELECT MIN(recorded_at) AS first, MAX(recorded_at) AS last FROM events').get() as { first: string; last: string };
    const streams = (rawLog.prepare("SELECT DISTINCT stream_id AS s FROM events WHERE stream_id LIKE 'case-%'").all() as { s: string }[]).map((r) => r.s);
    const firstMs = Date.parse(span.first);
    const lastMs = Date.parse(span.last);
    const now = new Date().toISOString();
    const randomDay = (until: string) => {
      const days = Math.round((Date.parse(until) - Date.parse('2018-01-01')) / 86_400_000);
      return addDays('2018-01-01', rng.int(0, Math.max(0, days)));
    };
    const pastInstant = () => new Date(firstMs + Math.floor(rng.next() * (lastMs - firstMs))).toISOString();

    // The reference: the interval range scan countByStatus replaces with sums, as a better-sqlite3 prepared statement.
    const rawCount = rawModels.prepare(
      `SELECT si.status AS status, COUNT(*) AS n FROM status_intervals si
        WHERE si.scope = ? AND si.recorded_from <= ? AND si.recorded_to > ? AND si.valid_from <= ? AND si.valid_to > ?
        GROUP BY si.status`,
    );
    const rawStream = rawLog.prepare(
      'SELECT position, event_id, stream_id, version, type, schema_version, data, personal, metadata, recorded_at, previous_hash, hash FROM events WHERE stream_id = ? ORDER BY version',
    );

    const countFigure = async (pick: () => { asOf: string; knownAt: string }) => {
      const port: number[] = [];
      const raw: number[] = [];
      for (let i = -20; i < samples; i++) {
        const { asOf, knownAt } = pick();
        const q = { asOf, knownAt, scope: 'confirmed' as const };
        // Alternate which goes first, so neither always gets the warmer cache.
        const runPort = async () => {
          const t = process.hrtime.bigint();
          const counts = await countByStatus(readModels, q);
          return { counts, ms: ms(t) };
        };
        const runRaw = () => {
          const t = process.hrtime.bigint();
          const rows = rawCount.all('confirmed', knownAt, knownAt, asOf, asOf) as { status: CaseStatus; n: number }[];
          return { rows, ms: ms(t) };
        };
        let p: { counts: Counts; ms: number };
        let r: { rows: { status: CaseStatus; n: number }[]; ms: number } | null = null;
        if (!runsReference(i)) {
          p = await runPort();
        } else if (i % 2 === 0) {
          p = await runPort();
          r = runRaw();
        } else {
          r = runRaw();
          p = await runPort();
        }
        if (r) {
          const rawCounts = new Map(r.rows.map((row) => [row.status, row.n]));
          for (const status of Object.keys(p.counts) as CaseStatus[]) {
            if (p.counts[status] !== (rawCounts.get(status) ?? 0)) throw new Error(`countByStatus(${asOf}, ${knownAt}) disagrees with the interval scan on ${status}`);
          }
        }
        if (i >= 0) {
          port.push(p.ms);
          if (r) raw.push(r.ms);
        }
      }
      return { port: latency(port), raw: latency(raw) };
    };

    const knownNow = await countFigure(() => ({ asOf: randomDay(SIMULATION_END_DAY), knownAt: now }));
    const knownPast = await countFigure(() => {
      const knownAt = pastInstant();
      return { asOf: randomDay(knownAt.slice(0, 10)), knownAt };
    });

    const view: number[] = [];
    const viewRaw: number[] = [];
    let events = 0;
    for (let i = -20; i < samples; i++) {
      const streamId = rng.pick(streams);
      const asOfDay = randomDay(SIMULATION_END_DAY);
      const runPort = async () => {
        const t = process.hrtime.bigint();
        const stored = await store.readStream(streamId);
        const v = viewCase(stored.map((e) => decodeCaseEvent(e)), { asOfDay, knownAt: now }, { timeZone: TIME_ZONE });
        if (v === null) throw new Error(`viewCase(${streamId}) found no case`);
        return { ms: ms(t), events: stored.length };
      };
      const runRaw = () => {
        const t = process.hrtime.bigint();
        const rows = rawStream.all(streamId) as { data: string; personal: string | null; metadata: string }[];
        for (const row of rows) {
          JSON.parse(row.data);
          if (row.personal !== null) JSON.parse(row.personal);
          JSON.parse(row.metadata);
        }
        return ms(t);
      };
      // Alternate which reads the stream first: the first read of a page may come from the disk, the second from the OS cache.
      let port: { ms: number; events: number };
      let rawMs: number;
      if (i % 2 === 0) {
        port = await runPort();
        rawMs = runRaw();
      } else {
        rawMs = runRaw();
        port = await runPort();
      }
      if (i >= 0) {
        view.push(port.ms);
        viewRaw.push(rawMs);
        events += port.events;
      }
    }
    return {
      samples,
      cases: streams.length,
      knownAtNow: knownNow,
      knownAtPast: knownPast,
      viewCase: { port: latency(view), raw: latency(viewRaw), meanEventsPerCase: events / Math.max(1, samples) },
    };
  } finally {
    rawLog.close();
    rawModels.close();
    await readModels.destroy();
    await store.close();
  }
}

async function main(): Promise<void> {
  const mode = positionals[0];
  let result: object;
  switch (mode) {
    case 'rebuild':
      result = await rebuild();
      break;
    case 'raw-read':
      result = rawRead();
      break;
    case 'port-read':
      result = await portRead();
      break;
    case 'raw-write-models':
      result = await rawWriteModels();
      break;
    case 'queries':
      result = await queries();
      break;
    default:
      throw new Error(`unknown worker mode ${String(mode)}`);
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
