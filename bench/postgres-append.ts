/**
 * Appends on PostgreSQL: through the port (`PostgresEventStore.append`), and the reference, raw `COPY
 * ... FROM STDIN` (text format, written here) of the same rows into the same table (created by the
 * adapter, so the same columns, constraints and indexes). Every schema is fresh and dropped afterwards.
 *
 * node-postgres has no COPY helper of its own (that is the pg-copy-streams package): `CopyIn` below is
 * the small "submittable" node-postgres accepts in `client.query()`: it sends the statement, answers
 * the server's CopyInResponse with the data and CopyDone, and settles on ReadyForQuery.
 */
import pg from 'pg';
import { PostgresEventStore } from '#event-store';
import type { PlannedAppend } from './generator.js';
import { figure, type AppendFigure, type SegmentAppender, type WrittenRows } from './sqlite-append.js';
import { latency, type Latency } from './stats.js';

const COLUMNS = 'position, event_id, stream_id, version, type, schema_version, data, personal, metadata, command_id, recorded_at, previous_hash, hash';
const CHUNK_BYTES = 256 * 1024;

interface CopyConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
}

class CopyIn {
  readonly promise: Promise<number>;
  private resolve!: (rows: number) => void;
  private reject!: (error: Error) => void;
  private error: Error | null = null;
  private rows = 0;

  constructor(
    readonly text: string,
    private readonly payload: Buffer,
  ) {
    this.promise = new Promise<number>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  submit(connection: CopyConnection): void {
    connection.query(this.text);
  }
  handleCopyInResponse(connection: CopyConnection): void {
    for (let i = 0; i < this.payload.length; i += CHUNK_BYTES) connection.sendCopyFromChunk(this.payload.subarray(i, i + CHUNK_BYTES));
    connection.endCopyFrom();
  }
  handleCommandComplete(msg: { text?: string }): void {
    this.rows = Number(/^COPY (\d+)/.exec(msg.text ?? '')?.[1] ?? 0);
  }
  handleError(error: Error): void {
    this.error = error;
  }
  handleReadyForQuery(): void {
    if (this.error) this.reject(this.error);
    else this.resolve(this.rows);
  }
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}
}

/** One value in COPY's text format: `\N` for NULL; backslash, tab, newline and carriage return escaped. */
function copyValue(value: string | number | null): string {
  if (value === null) return '\\N';
  if (typeof value === 'number') return String(value);
  if (!/[\\\t\n\r]/.test(value)) return value;
  return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

function copyRows(a: PlannedAppend, first: number, written: WrittenRows): string {
  let out = '';
  for (let i = 0; i < a.events.length; i++) {
    const e = a.events[i]!;
    const p = first + i;
    out +=
      p +
      '\t' +
      e.eventId +
      '\t' +
      copyValue(a.streamId) +
      '\t' +
      (a.expectedVersion + 1 + i) +
      '\t' +
      copyValue(e.type) +
      '\t' +
      e.schemaVersion +
      '\t' +
      copyValue(JSON.stringify(e.data)) +
      '\t' +
      copyValue(e.personal === null ? null : JSON.stringify(e.personal)) +
      '\t' +
      copyValue(JSON.stringify(e.metadata)) +
      '\t' +
      copyValue(a.commandId) +
      '\t' +
      copyValue(written.recordedAt[p - 1]!) +
      '\t' +
      written.previousHash[p - 1]! +
      '\t' +
      written.hash[p - 1]! +
      '\n';
  }
  return out;
}

const countEvents = (appends: readonly PlannedAppend[]) => appends.reduce((n, a) => n + a.events.length, 0);

/**
 * Port and raw COPY side by side, in segments of about `segmentEvents` events: each segment goes
 * through the port, then (its rows read back, untimed) the same rows are copied raw, one COPY per
 * append (the same commit boundaries). Returns what the port wrote too, for the bulk COPY.
 */
export async function appendPostgresSideBySide(
  url: string,
  portSchema: string,
  rawSchema: string,
  appends: readonly PlannedAppend[],
  options: { clock: boolean; segmentEvents: number; peer?: SegmentAppender },
): Promise<{ port: AppendFigure; raw: AppendFigure; peer?: AppendFigure; written: WrittenRows; segments: number }> {
  let now = new Date();
  const store = await PostgresEventStore.open({ connectionString: url, schema: portSchema, ...(options.clock ? { now: () => now } : {}) });
  await (await PostgresEventStore.open({ connectionString: url, schema: rawSchema })).close();
  const raw = new pg.Client({ connectionString: url });
  const reader = new pg.Client({ connectionString: url });
  await raw.connect();
  await reader.connect();
  const sql = `COPY "${rawSchema}".events (${COLUMNS}) FROM STDIN`;
  try {
    const written: WrittenRows = { recordedAt: [], previousHash: [], hash: [] };
    let portNs = 0n;
    let rawNs = 0n;
    let peerNs = 0n;
    let segments = 0;
    let position = 1;
    let copied = 0;
    for (let from = 0; from < appends.length; ) {
      let to = from;
      for (let events = 0; to < appends.length && events < options.segmentEvents; to++) events += appends[to]!.events.length;
      const segment = appends.slice(from, to);
      let t = process.hrtime.bigint();
      for (const a of segment) {
        if (options.clock) now = new Date(a.recordedAt);
        await store.append(a.streamId, a.events, { expectedVersion: a.expectedVersion, commandId: a.commandId });
      }
      portNs += process.hrtime.bigint() - t;
      const { rows } = await reader.query<{ position: string; recorded_at: string; previous_hash: string; hash: string }>(
        `SELECT position, recorded_at, previous_hash, hash FROM "${portSchema}".events WHERE position >= $1 ORDER BY position`,
        [position],
      );
      for (const r of rows) {
        if (Number(r.position) !== written.hash.length + 1) throw new Error(`unexpected gap in positions at ${r.position}`);
        written.recordedAt.push(r.recorded_at);
        written.previousHash.push(r.previous_hash);
        written.hash.push(r.hash);
      }
      t = process.hrtime.bigint();
      for (const a of segment) {
        const copy = new CopyIn(sql, Buffer.from(copyRows(a, position, written), 'utf8'));
        void raw.query(copy as never);
        copied += await copy.promise;
        position += a.events.length;
      }
      rawNs += process.hrtime.bigint() - t;
      if (options.peer) {
        t = process.hrtime.bigint();
        for (const a of segment) await options.peer.append(a);
        peerNs += process.hrtime.bigint() - t;
      }
      segments += 1;
      from = to;
    }
    const events = countEvents(appends);
    const { rows } = await raw.query<{ n: string; h: string | null }>(
      `SELECT COUNT(*) AS n, (SELECT hash FROM "${rawSchema}".events ORDER BY position DESC LIMIT 1) AS h FROM "${rawSchema}".events`,
    );
    if (copied !== events || written.hash.length !== events || Number(rows[0]!.n) !== events || rows[0]!.h !== written.hash[events - 1]) {
      throw new Error(`raw COPY wrote ${rows[0]!.n} rows, the port ${written.hash.length}, expected ${events}`);
    }
    return {
      port: figure(events, appends.length, portNs),
      raw: figure(events, appends.length, rawNs),
      ...(options.peer ? { peer: figure(events, appends.length, peerNs) } : {}),
      written,
      segments,
    };
  } finally {
    await reader.end();
    await raw.end();
    await store.close();
  }
}

/** Bulk COPY of the same rows, `rowsPerCopy` rows per statement: what a loader that owns the table could do. */
export async function bulkCopyPostgres(url: string, schema: string, appends: readonly PlannedAppend[], written: WrittenRows, rowsPerCopy: number): Promise<AppendFigure> {
  await (await PostgresEventStore.open({ connectionString: url, schema })).close();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const sql = `COPY "${schema}".events (${COLUMNS}) FROM STDIN`;
  try {
    const started = process.hrtime.bigint();
    let position = 1;
    let copied = 0;
    let text = '';
    let rows = 0;
    const flush = async () => {
      if (rows === 0) return;
      const copy = new CopyIn(sql, Buffer.from(text, 'utf8'));
      void client.query(copy as never);
      copied += await copy.promise;
      text = '';
      rows = 0;
    };
    for (const a of appends) {
      text += copyRows(a, position, written);
      rows += a.events.length;
      position += a.events.length;
      if (rows >= rowsPerCopy) await flush();
    }
    await flush();
    const result = figure(countEvents(appends), appends.length, process.hrtime.bigint() - started);
    if (copied !== written.hash.length) throw new Error(`bulk COPY wrote ${copied} rows, expected ${written.hash.length}`);
    return result;
  } finally {
    await client.end();
  }
}

/** Round-trip time of one trivial statement (`SELECT 1`) on this server, in milliseconds. */
export async function roundTrip(url: string, samples = 300): Promise<Latency> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const times: number[] = [];
    for (let i = -30; i < samples; i++) {
      const t = process.hrtime.bigint();
      await client.query('SELECT 1');
      if (i >= 0) times.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    return latency(times);
  } finally {
    await client.end();
  }
}

export async function dropSchemas(url: string, schemas: readonly string[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const s of schemas) await client.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
  } finally {
    await client.end();
  }
}
