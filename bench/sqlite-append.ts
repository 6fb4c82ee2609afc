/**
 * Appends on SQLite: through the `EventStore` port (`SqliteEventStore.append`), and the reference, raw
 * better-sqlite3 prepared-statement inserts of the same rows (same table and indexes, same 13
 * columns with the same values, one immediate transaction per batch, the same pragmas). The raw
 * side serialises the three JSON columns too; it takes the positions, recording instants and hashes
 * the port wrote (read back after the port's run), so both write byte-identical rows.
 */
import Database from 'better-sqlite3';
import { SqliteEventStore } from '#event-store';
import type { PlannedAppend } from './generator.js';

export interface AppendFigure {
  events: number;
  appends: number;
  seconds: number;
  eventsPerSecond: number;
}

/** What the port wrote, by position (index 0 = position 1). */
export interface WrittenRows {
  recordedAt: string[];
  previousHash: string[];
  hash: string[];
}

const countEvents = (appends: readonly PlannedAppend[]) => appends.reduce((n, a) => n + a.events.length, 0);

/** A third store appended to in the same segments (the peer, Emmett), timed on its own. */
export interface SegmentAppender {
  append(a: PlannedAppend): Promise<void>;
}

export function figure(events: number, appends: number, ns: bigint): AppendFigure {
  const seconds = Number(ns) / 1e9;
  return { events, appends, seconds, eventsPerSecond: events / seconds };
}

/**
 * Port and raw reference side by side: the appends are cut into segments of about `segmentEvents`
 * events; each segment goes through the port, then (its rows read back, untimed) the same rows are
 * inserted raw. Load from other processes then falls on both sides alike. With `clock`, the store's
 * clock reads each append's simulated recording instant.
 */
export async function appendSqliteSideBySide(
  portFile: string,
  rawFile: string,
  appends: readonly PlannedAppend[],
  options: { clock: boolean; segmentEvents: number; peer?: SegmentAppender },
): Promise<{ port: AppendFigure; raw: AppendFigure; peer?: AppendFigure; segments: number }> {
  let now = new Date();
  const store = new SqliteEventStore({ filename: portFile, ...(options.clock ? { now: () => now } : {}) });
  // The same schema as the store's: let the adapter create it, then write past it.
  await (await SqliteEventStore.open({ filename: rawFile })).close();
  const raw = new Database(rawFile, { timeout: 5000 });
  const written = new Database(portFile, { readonly: true });
  try {
    raw.pragma('busy_timeout = 5000');
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = NORMAL');
    const insert = raw.prepare(
      `INSERT INTO events (position, event_id, stream_id, version, type, schema_version, data, personal, metadata,
                           command_id, recorded_at, previous_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const readBack = written.prepare('SELECT position, recorded_at, previous_hash, hash FROM events WHERE position > ? ORDER BY position');
    let rows: { position: number; recorded_at: string; previous_hash: string; hash: string }[] = [];
    const tx = raw.transaction((a: PlannedAppend, first: number) => {
      for (let i = 0; i < a.events.length; i++) {
        const e = a.events[i]!;
        const row = rows[first + i]!;
        insert.run(
          row.position,
          e.eventId,
          a.streamId,
          a.expectedVersion + 1 + i,
          e.type,
          e.schemaVersion,
          JSON.stringify(e.data),
          e.personal === null ? null : JSON.stringify(e.personal),
          JSON.stringify(e.metadata),
          a.commandId,
          row.recorded_at,
          row.previous_hash,
          row.hash,
        );
      }
    });

    let portNs = 0n;
    let rawNs = 0n;
    let peerNs = 0n;
    let segments = 0;
    let position = 0;
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
      rows = readBack.all(position) as typeof rows;
      t = process.hrtime.bigint();
      let first = 0;
      for (const a of segment) {
        tx.immediate(a, first);
        first += a.events.length;
      }
      rawNs += process.hrtime.bigint() - t;
      if (options.peer) {
        t = process.hrtime.bigint();
        for (const a of segment) await options.peer.append(a);
        peerNs += process.hrtime.bigint() - t;
      }
      if (first !== rows.length) throw new Error(`the port wrote ${rows.length} rows for a segment of ${first} events`);
      position = rows[rows.length - 1]!.position;
      segments += 1;
      from = to;
    }
    const events = countEvents(appends);
    // Same rows on both sides: same count and the same last link of the chain.
    const last = (db: Database.Database) => db.prepare('SELECT COUNT(*) AS n, (SELECT hash FROM events ORDER BY position DESC LIMIT 1) AS h FROM events').get() as { n: number; h: string };
    const a = last(raw);
    const b = last(written);
    if (a.n !== events || b.n !== events || a.h !== b.h) throw new Error(`raw SQLite insert wrote ${a.n} rows ending with ${a.h}; the port ${b.n} ending with ${b.h}`);
    return {
      port: figure(events, appends.length, portNs),
      raw: figure(events, appends.length, rawNs),
      ...(options.peer ? { peer: figure(events, appends.length, peerNs) } : {}),
      segments,
    };
  } finally {
    written.close();
    raw.close();
    await store.close();
  }
}
