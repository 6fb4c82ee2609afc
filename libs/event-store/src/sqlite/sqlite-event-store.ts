/**
 * Embedded SQLite adapter of the event-store port (better-sqlite3, WAL mode).
 *
 * One table `events` is the whole log: `position` (INTEGER PRIMARY KEY AUTOINCREMENT) is the global
 * position, `UNIQUE(stream_id, version)` gives both the optimistic-concurrency guard and the index used
 * to read a stream and find its current version. Every append runs in one `BEGIN IMMEDIATE`
 * transaction, so there is a single writer at a time (across processes too) and positions are
 * committed in order: a reader never sees position n+1 before position n.
 *
 * Hash chain (see `audit/canonical.ts`): inside that same immediate transaction the append reads the
 * last event's `hash`, allocates the positions itself (what AUTOINCREMENT would: past both the
 * highest position and `sqlite_sequence`, so a deleted tail still leaves its gap) and stores each
 * event with `previous_hash` and `hash = chainHash(previous_hash, event)`. The hash is computed from
 * the JSON texts as written, parsed back: exactly the values `readStream`/`readAll` return, so a
 * verifier recomputes it from a read. Schema version 2 added the columns and chained the rows
 * already there in position order, and created `store_meta` with the store's identity.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import {
  EventStoreError,
  STREAM_ID_PATTERN,
  WrongExpectedVersionError,
} from '../event-store.port.js';
import type {
  AppendOptions,
  AppendResult,
  ChainHead,
  EventStore,
  JsonObject,
  NewEvent,
  NewEventMetadata,
  ReadAllOptions,
  ReadStreamsOptions,
  RecordedEvent,
  StoreIdentity,
} from '../event-store.port.js';
import { chainHash, GENESIS_HASH } from '../audit/canonical.js';
import { assertStreamId, checkBatchSize, checkPosition, positiveOr, validateAppend } from '../append-validation.js';

export interface SqliteEventStoreOptions {
  /** Path of the database file, or `':memory:'`. The parent directory is created when missing. */
  filename: string;
  /** Clock for `recordedAt` (defaults to `() => new Date()`). */
  now?: () => Date;
  /** How often `follow` looks for appends made by other connections (default 200 ms). */
  pollIntervalMs?: number;
  /** How long a write waits for another connection's lock before failing (default 5000 ms). */
  busyTimeoutMs?: number;
}

/** A migration step: SQL, or a function for steps that compute (both run inside the migration transaction). */
type Migration = string | ((db: Database.Database) => void);

/** Schema version written to `PRAGMA user_version`; each entry of MIGRATIONS moves it up by one. */
const MIGRATIONS: readonly Migration[] = [
  // 1: the log.
  `CREATE TABLE IF NOT EXISTS events (
     position       INTEGER PRIMARY KEY AUTOINCREMENT,
     event_id       TEXT    NOT NULL UNIQUE,
     stream_id      TEXT    NOT NULL,
     version        INTEGER NOT NULL,
     type           TEXT    NOT NULL,
     schema_version INTEGER NOT NULL,
     data           TEXT    NOT NULL,
     personal       TEXT    NULL,
     metadata       TEXT    NOT NULL,
     command_id     TEXT    NOT NULL,
     recorded_at    TEXT    NOT NULL,
     UNIQUE (stream_id, version)
   );
   CREATE INDEX IF NOT EXISTS events_command_id ON events (command_id);`,
  // 2: the hash chain and the store's identity.
  (db) => {
    // SQLite adds a NOT NULL column only with a default; the adapter always writes both columns, and
    // the rows already there are chained right below, in the same transaction.
    db.exec(`ALTER TABLE events ADD COLUMN previous_hash TEXT NOT NULL DEFAULT '';
             ALTER TABLE events ADD COLUMN hash TEXT NOT NULL DEFAULT '';
             CREATE TABLE IF NOT EXISTS store_meta (key TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL);`);
    db.prepare(`INSERT OR IGNORE INTO store_meta (key, value) VALUES ('store_id', ?)`).run(randomUUID());
    chainExistingRows(db);
  },
];

export const SQLITE_EVENT_STORE_SCHEMA_VERSION = MIGRATIONS.length;

const DEFAULT_POLL_INTERVAL_MS = 200;
const DEFAULT_BUSY_TIMEOUT_MS = 5000;

interface EventRow {
  position: number;
  event_id: string;
  stream_id: string;
  version: number;
  type: string;
  schema_version: number;
  data: string;
  personal: string | null;
  metadata: string;
  recorded_at: string;
  previous_hash: string;
  hash: string;
}

interface CommandRow {
  event_id: string;
  stream_id: string;
  version: number;
  position: number;
  recorded_at: string;
}

interface HeadRow {
  stream_version: number | null;
  /** AUTOINCREMENT's high-water mark (null before the first insert). */
  seq: number | null;
  last_position: number | null;
  last_recorded_at: string | null;
  last_hash: string | null;
}

const EVENT_COLUMNS =
  'position, event_id, stream_id, version, type, schema_version, data, personal, metadata, recorded_at, previous_hash, hash';

const HASH_PATTERN = /^[0-9a-f]{64}$/;

export class SqliteEventStore implements EventStore {
  /** Opens (and migrates) the store; the same as `new SqliteEventStore(options)`, for async call sites. */
  static async open(options: SqliteEventStoreOptions): Promise<SqliteEventStore> {
    return new SqliteEventStore(options);
  }

  private readonly db: Database.Database;
  private readonly now: () => Date;
  private readonly pollIntervalMs: number;
  private closed = false;
  /** Wake-up callbacks of followers waiting for new events; fired after each commit and on close. */
  private readonly waiters = new Set<() => void>();

  private readonly stmtCommand: Database.Statement<[string], CommandRow>;
  private readonly stmtHead: Database.Statement<[string], HeadRow>;
  private readonly stmtInsert: Database.Statement<
    [number, string, string, number, string, number, string, string | null, string, string, string, string, string]
  >;
  private readonly stmtStream: Database.Statement<[string], EventRow>;
  private readonly stmtAll: Database.Statement<[number, number, number], EventRow>;
  private readonly stmtStreams: Database.Statement<[{ stream: string; version: number; upTo: number; prefix: string; limit: number }], EventRow>;
  private readonly stmtHeadPosition: Database.Statement<[], { head: number }>;
  private readonly stmtHeadHash: Database.Statement<[], { position: number; hash: string }>;
  private readonly stmtStoreId: Database.Statement<[], { value: string }>;
  private readonly stmtPing: Database.Statement<[], { ok: number }>;
  private readonly appendTx: Database.Transaction<
    (streamId: string, events: NewEvent[], options: AppendOptions) => AppendResult
  >;

  constructor(options: SqliteEventStoreOptions) {
    const { filename } = options;
    if (typeof filename !== 'string') {
      throw new EventStoreError('STORE_UNAVAILABLE', 'SqliteEventStore needs a filename (or ":memory:")');
    }
    this.now = options.now ?? (() => new Date());
    this.pollIntervalMs = positiveOr(options.pollIntervalMs, DEFAULT_POLL_INTERVAL_MS);
    const busyTimeoutMs = positiveOr(options.busyTimeoutMs, DEFAULT_BUSY_TIMEOUT_MS);

    const inMemory = filename === ':memory:' || filename === '';
    try {
      if (!inMemory) mkdirSync(dirname(resolve(filename)), { recursive: true });
      this.db = new Database(filename, { timeout: busyTimeoutMs });
    } catch (error) {
      throw unavailable(`cannot open SQLite event store at ${filename}`, error);
    }

    try {
      this.db.pragma(`busy_timeout = ${busyTimeoutMs}`);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.migrate();

      this.stmtCommand = this.db.prepare(
        'SELECT event_id, stream_id, version, position, recorded_at FROM events WHERE command_id = ? ORDER BY position',
      );
      this.stmtHead = this.db.prepare(
        `SELECT (SELECT MAX(version) FROM events WHERE stream_id = ?) AS stream_version,
                (SELECT seq FROM sqlite_sequence WHERE name = 'events') AS seq,
                (SELECT MAX(position) FROM events) AS last_position,
                (SELECT recorded_at FROM events ORDER BY position DESC LIMIT 1) AS last_recorded_at,
                (SELECT hash FROM events ORDER BY position DESC LIMIT 1) AS last_hash`,
      );
      this.stmtInsert = this.db.prepare(
        `INSERT INTO events (position, event_id, stream_id, version, type, schema_version, data, personal, metadata,
                             command_id, recorded_at, previous_hash, hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      this.stmtStream = this.db.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? ORDER BY version`);
      this.stmtAll = this.db.prepare(
        `SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? AND position <= ? ORDER BY position LIMIT ?`,
      );
      // Keyset pagination along UNIQUE(stream_id, version): the index gives the order, no sort.
      this.stmtStreams = this.db.prepare(
        `SELECT ${EVENT_COLUMNS} FROM events
          WHERE (stream_id, version) > (@stream, @version) AND position <= @upTo AND substr(stream_id, 1, length(@prefix)) = @prefix
          ORDER BY stream_id, version LIMIT @limit`,
      );
      this.stmtHeadPosition = this.db.prepare('SELECT COALESCE(MAX(position), 0) AS head FROM events');
      this.stmtHeadHash = this.db.prepare('SELECT position, hash FROM events ORDER BY position DESC LIMIT 1');
      this.stmtStoreId = this.db.prepare(`SELECT value FROM store_meta WHERE key = 'store_id'`);
      this.stmtPing = this.db.prepare('SELECT 1 AS ok');
      this.appendTx = this.db.transaction((streamId: string, events: NewEvent[], options: AppendOptions) =>
        this.appendInTransaction(streamId, events, options),
      );
    } catch (error) {
      this.db.close();
      if (error instanceof EventStoreError) throw error;
      throw unavailable(`cannot initialise SQLite event store at ${filename}`, error);
    }
  }

  async append(streamId: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult> {
    this.assertOpen();
    assertStreamId(streamId);
    validateAppend(events, options);
    let result: AppendResult;
    try {
      result = this.appendTx.immediate(streamId, events, options);
    } catch (error) {
      throw translateWriteError(error, streamId);
    }
    if (!result.duplicate) this.wakeFollowers();
    return result;
  }

  async findCommand(commandId: string): Promise<AppendResult | null> {
    this.assertOpen();
    return this.run(() => this.commandResult(commandId));
  }

  async readStream(streamId: string): Promise<RecordedEvent[]> {
    this.assertOpen();
    assertStreamId(streamId);
    return this.run(() => this.stmtStream.all(streamId).map(toRecordedEvent));
  }

  async *readAll(options: ReadAllOptions): AsyncGenerator<RecordedEvent[], void, undefined> {
    this.assertOpen();
    let after = checkPosition(options.after, 'after');
    const batchSize = checkBatchSize(options.batchSize);
    const upTo = options.upTo === undefined ? Number.MAX_SAFE_INTEGER : checkPosition(options.upTo, 'upTo');
    while (after < upTo) {
      const batch = this.readBatch(after, upTo, batchSize);
      if (batch.length === 0) return;
      after = batch[batch.length - 1]!.position;
      yield batch;
      if (batch.length < batchSize) return;
    }
  }

  async *readStreams(options: ReadStreamsOptions): AsyncGenerator<RecordedEvent[], void, undefined> {
    this.assertOpen();
    const prefix = options.prefix ?? '';
    const batchSize = checkBatchSize(options.batchSize);
    const upTo = options.upTo === undefined ? Number.MAX_SAFE_INTEGER : checkPosition(options.upTo, 'upTo');
    // Binary collation: every id that starts with the prefix sorts at or after it.
    let [stream, version] = [prefix, 0];
    for (;;) {
      this.assertOpen();
      const batch = this.run(() => this.stmtStreams.all({ stream, version, upTo, prefix, limit: batchSize }).map(toRecordedEvent));
      if (batch.length === 0) return;
      const last = batch[batch.length - 1]!;
      [stream, version] = [last.streamId, last.version];
      yield batch;
      if (batch.length < batchSize) return;
    }
  }

  async headPosition(): Promise<number> {
    this.assertOpen();
    return this.run(() => this.stmtHeadPosition.get()!.head);
  }

  async headHash(): Promise<ChainHead> {
    this.assertOpen();
    return this.run(() => {
      const row = this.stmtHeadHash.get();
      return row === undefined ? { position: 0, hash: GENESIS_HASH } : { position: row.position, hash: row.hash };
    });
  }

  /** Made by the schema migration that created `store_meta`; the same for every connection to the file. */
  async identity(): Promise<StoreIdentity> {
    this.assertOpen();
    return this.run(() => {
      const row = this.stmtStoreId.get();
      if (row === undefined) throw new EventStoreError('STORE_UNAVAILABLE', 'the SQLite event store has no store_id in store_meta');
      return { storeId: row.value, kind: 'sqlite' as const };
    });
  }

  async *follow(options: {
    after: number;
    batchSize?: number;
    signal: AbortSignal;
  }): AsyncGenerator<RecordedEvent[], void, undefined> {
    this.assertOpen();
    const { signal } = options;
    let after = checkPosition(options.after, 'after');
    const batchSize = checkBatchSize(options.batchSize);
    while (!signal.aborted && !this.closed) {
      const batch = this.readBatch(after, Number.MAX_SAFE_INTEGER, batchSize);
      if (batch.length > 0) {
        after = batch[batch.length - 1]!.position;
        yield batch;
        continue;
      }
      // Nothing new: sleep until an in-process append, the poll tick (other processes), abort or close.
      // The wait is registered in the same tick as the empty read, so no in-process append can slip between.
      await this.waitForChange(signal);
    }
  }

  async ping(): Promise<void> {
    this.assertOpen();
    this.run(() => this.stmtPing.get());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.wakeFollowers();
    this.db.close();
  }

  // --- internals -------------------------------------------------------------------------------

  private appendInTransaction(streamId: string, events: NewEvent[], options: AppendOptions): AppendResult {
    const previous = this.commandResult(options.commandId);
    if (previous) return previous;

    const head = this.stmtHead.get(streamId)!;
    const actualVersion = head.stream_version ?? 0;
    if (actualVersion !== options.expectedVersion) {
      throw new WrongExpectedVersionError(streamId, options.expectedVersion, actualVersion);
    }

    let recordedAt = this.now().toISOString();
    if (head.last_recorded_at !== null && head.last_recorded_at > recordedAt) recordedAt = head.last_recorded_at;

    let previousHash = head.last_hash ?? GENESIS_HASH;
    if (!HASH_PATTERN.test(previousHash)) {
      // Only a write that bypassed the adapter can leave this; chaining onto it would hide it.
      throw new EventStoreError(
        'STORE_UNAVAILABLE',
        `the hash chain is broken: the last event (position ${head.last_position}) has no valid hash`,
        { position: head.last_position },
      );
    }
    // What AUTOINCREMENT would pick, chosen here because the hash covers the position.
    let position = Math.max(head.seq ?? 0, head.last_position ?? 0);

    const written: AppendResult['events'] = new Array(events.length);
    let version = actualVersion;
    for (let i = 0; i < events.length; i++) {
      const event = events[i]!;
      version += 1;
      position += 1;
      const data = JSON.stringify(event.data);
      const personal = event.personal === null ? null : JSON.stringify(event.personal);
      const metadata = JSON.stringify(event.metadata);
      // Hash the stored texts as a read parses them, not the caller's objects (which may hold
      // undefined, toJSON()... that JSON drops or rewrites).
      const hash = chainHash(previousHash, {
        position,
        eventId: event.eventId,
        streamId,
        version,
        type: event.type,
        schemaVersion: event.schemaVersion,
        data: JSON.parse(data) as JsonObject,
        personal: personal === null ? null : (JSON.parse(personal) as JsonObject),
        metadata: JSON.parse(metadata) as NewEventMetadata,
        recordedAt,
      });
      this.stmtInsert.run(
        position,
        event.eventId,
        streamId,
        version,
        event.type,
        event.schemaVersion,
        data,
        personal,
        metadata,
        options.commandId,
        recordedAt,
        previousHash,
        hash,
      );
      written[i] = { eventId: event.eventId, version, position };
      previousHash = hash;
    }
    return { streamId, version, events: written, recordedAt, duplicate: false };
  }

  private commandResult(commandId: string): AppendResult | null {
    const previous = this.stmtCommand.all(commandId);
    if (previous.length === 0) return null;
    const first = previous[0]!;
    const last = previous[previous.length - 1]!;
    return {
      streamId: first.stream_id,
      version: last.version,
      events: previous.map((row) => ({ eventId: row.event_id, version: row.version, position: row.position })),
      recordedAt: first.recorded_at,
      duplicate: true,
    };
  }

  private readBatch(after: number, upTo: number, batchSize: number): RecordedEvent[] {
    this.assertOpen();
    return this.run(() => this.stmtAll.all(after, upTo, batchSize).map(toRecordedEvent));
  }

  private waitForChange(signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolvePromise) => {
      let timer: NodeJS.Timeout | undefined;
      const done = (): void => {
        if (timer !== undefined) clearTimeout(timer);
        this.waiters.delete(done);
        signal.removeEventListener('abort', done);
        resolvePromise();
      };
      if (signal.aborted || this.closed) {
        resolvePromise();
        return;
      }
      this.waiters.add(done);
      signal.addEventListener('abort', done, { once: true });
      timer = setTimeout(done, this.pollIntervalMs);
    });
  }

  private wakeFollowers(): void {
    if (this.waiters.size === 0) return;
    for (const wake of [...this.waiters]) wake();
  }

  private migrate(): void {
    const migrateTx = this.db.transaction(() => {
      const current = this.db.pragma('user_version', { simple: true }) as number;
      if (current > MIGRATIONS.length) {
        throw new EventStoreError(
          'STORE_UNAVAILABLE',
          `event store schema version ${current} is newer than this code supports (${MIGRATIONS.length})`,
          { schemaVersion: current, supported: MIGRATIONS.length },
        );
      }
      for (let v = current; v < MIGRATIONS.length; v++) {
        const migration = MIGRATIONS[v]!;
        if (typeof migration === 'string') this.db.exec(migration);
        else migration(this.db);
      }
      if (current !== MIGRATIONS.length) this.db.pragma(`user_version = ${MIGRATIONS.length}`);
    });
    migrateTx.immediate();
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreError('STORE_UNAVAILABLE', 'the SQLite event store is closed');
  }

  private run<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      throw translateReadError(error);
    }
  }
}

// --- validation --------------------------------------------------------------------------------

// --- mapping -----------------------------------------------------------------------------------

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    streamId: row.stream_id,
    version: row.version,
    position: row.position,
    eventId: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    data: JSON.parse(row.data) as JsonObject,
    personal: row.personal === null ? null : (JSON.parse(row.personal) as JsonObject),
    metadata: JSON.parse(row.metadata) as NewEventMetadata,
    recordedAt: row.recorded_at,
    previousHash: row.previous_hash,
    hash: row.hash,
  };
}

/** Migration 2: chains the rows already in the log, in position order, from what a read returns. */
function chainExistingRows(db: Database.Database): void {
  const page = db.prepare<[number], EventRow>(
    `SELECT position, event_id, stream_id, version, type, schema_version, data, personal, metadata, recorded_at,
            '' AS previous_hash, '' AS hash
       FROM events WHERE position > ? ORDER BY position LIMIT 1000`,
  );
  const update = db.prepare<[string, string, number]>('UPDATE events SET previous_hash = ?, hash = ? WHERE position = ?');
  let previousHash = GENESIS_HASH;
  let after = 0;
  for (;;) {
    const rows = page.all(after);
    if (rows.length === 0) return;
    for (const row of rows) {
      const hash = chainHash(previousHash, toRecordedEvent(row));
      update.run(previousHash, hash, row.position);
      previousHash = hash;
      after = row.position;
    }
  }
}

/**
 * By shape, not `instanceof`: the native addon keeps the SqliteError class (and realm) of the first
 * module instance that loaded it, so another instance (a test runner's fresh registry) sees a
 * foreign class that is not even `instanceof Error` there.
 */
function sqliteCode(error: unknown): string | undefined {
  const e = error as { name?: unknown; code?: unknown } | null;
  if (typeof e === 'object' && e !== null && e.name === 'SqliteError' && typeof e.code === 'string') return e.code;
  return undefined;
}

function isUnavailableCode(code: string | undefined): boolean {
  return (
    code !== undefined &&
    /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|READONLY|CORRUPT|NOTADB|NOMEM|PROTOCOL)/.test(code)
  );
}

function unavailable(message: string, cause: unknown): EventStoreError {
  const error = new EventStoreError('STORE_UNAVAILABLE', `${message}: ${(cause as Error)?.message ?? String(cause)}`, {
    sqliteCode: sqliteCode(cause),
  });
  (error as Error & { cause?: unknown }).cause = cause;
  return error;
}

function translateWriteError(error: unknown, streamId: string): unknown {
  if (error instanceof EventStoreError) return error;
  const code = sqliteCode(error);
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    const message = (error as Error).message;
    if (message.includes('events.event_id')) {
      return new EventStoreError('INVALID_APPEND', `an eventId of this append already exists in the log`, {
        streamId,
      });
    }
    return new EventStoreError('INVALID_APPEND', `append to ${streamId} violates a uniqueness constraint: ${message}`, {
      streamId,
    });
  }
  if (isUnavailableCode(code)) return unavailable('the SQLite event store cannot write', error);
  return error;
}

function translateReadError(error: unknown): unknown {
  if (error instanceof EventStoreError) return error;
  if (isUnavailableCode(sqliteCode(error))) return unavailable('the SQLite event store cannot read', error);
  return error;
}
