/**
 * PostgreSQL adapter of the event-store port (node-postgres).
 *
 * One table `<schema>.events` is the whole log: `position` is the global position, `UNIQUE(stream_id,
 * version)` is both the optimistic-concurrency guard and the index used to read a stream.
 *
 * Positions and commit order. A reader tailing the log by position (`follow`, projections with a
 * checkpoint) must never see position n+1 before position n: it would move its checkpoint past n and
 * skip it for ever. A sequence or identity column does not give that: transaction A takes 10, B takes
 * 11, B commits first, a reader sees 11 and A's 10 shows up later, behind its checkpoint. So every
 * append transaction first takes a transaction-level advisory lock (one per schema) and only then, in
 * a later statement of the append function (a VOLATILE function's statements each take a fresh
 * snapshot under READ COMMITTED, so they see everything the previous holder committed), reads
 * `max(position)` and inserts `max + 1 ...`. The lock is released
 * only after the commit is visible, so positions become visible strictly in commit order and
 * without gaps (a rolled-back append consumes nothing, unlike a sequence). The price is one writer at
 * a time per log, which is what the SQLite adapter has too and is ample for this application's write
 * rate. Under the same lock the store checks the commandId (idempotency) and the expected version,
 * and computes `recordedAt = max(now(), last recordedAt)`, so `recordedAt` never decreases along the log.
 *
 * One round trip per append: `SELECT * FROM <schema>.append_events(...)` (migration 3), a single
 * statement and so its own transaction. The function takes the lock, answers a known commandId,
 * checks the expected version, chains, inserts and notifies. The canonical text of each event is made
 * here (canonical.ts, from the JSON texts as a read parses them back) except the three values only
 * the function knows — position, recordedAt and version — which it splices in before hashing with
 * PostgreSQL's sha256, so the bytes hashed are exactly canonical.ts's.
 *
 * Hash chain (see `audit/canonical.ts`): under the same lock the append reads the last event's `hash`
 * with its position and stores every event with `previous_hash` and `hash = chainHash(previous_hash,
 * event)`, over the canonical form of the JSON texts it sends, parsed back: JSONB keeps every key, string and
 * number value (it reorders keys and rewrites number spellings, which the canonical form ignores:
 * it sorts keys and writes the double the number reads back as), so the hash is recomputed exactly
 * from what `readStream`/`readAll` return. Schema version 2 added the columns, chained the rows
 * already there in position order, and created `store_meta` with the store's identity.
 *
 * Followers wake up by LISTEN/NOTIFY (the append transaction calls `pg_notify`, delivered only if and
 * when it commits) on one dedicated connection per store instance, shared by its followers and opened
 * while at least one follows; polling every `pollIntervalMs` stays as a safety net (a lost listener
 * connection, notifications sent before LISTEN took effect).
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
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
import { canonicalJson, chainHash, GENESIS_HASH } from '../audit/canonical.js';
import { assertStreamId, checkBatchSize, checkPosition, positiveOr, validateAppend } from '../append-validation.js';

const { Pool, Client } = pg;

export interface PostgresEventStoreOptions {
  /** `postgres://user@host:port/database`. */
  connectionString: string;
  /** Schema holding every table of the store, created when missing (default `public`). */
  schema?: string;
  /** Clock for `recordedAt` (defaults to `() => new Date()`). */
  now?: () => Date;
  /** How often `follow` polls as a safety net besides LISTEN/NOTIFY (default 500 ms). */
  pollIntervalMs?: number;
  /** Maximum number of pooled connections (default 10); followers' LISTEN connection comes on top. */
  poolSize?: number;
}

/**
 * Each entry moves the schema up by one version, recorded in `schema_migrations`. `%s` is the quoted
 * schema. `run`, when present, follows the SQL (same transaction, under the appends' lock).
 */
const MIGRATIONS: readonly {
  description: string;
  sql: string;
  run?: (client: pg.PoolClient, schema: string) => Promise<void>;
  after?: string;
}[] = [
  {
    description: 'the log',
    sql: `CREATE TABLE %s.events (
            position       BIGINT  NOT NULL PRIMARY KEY,
            event_id       UUID    NOT NULL,
            stream_id      TEXT    NOT NULL,
            version        INTEGER NOT NULL,
            type           TEXT    NOT NULL,
            schema_version INTEGER NOT NULL,
            data           JSONB   NOT NULL,
            personal       JSONB   NULL,
            metadata       JSONB   NOT NULL,
            command_id     TEXT    NOT NULL,
            recorded_at    TEXT    NOT NULL,
            CONSTRAINT events_event_id_unique UNIQUE (event_id),
            CONSTRAINT events_stream_version_unique UNIQUE (stream_id, version)
          );
          CREATE INDEX events_command_id ON %s.events (command_id);`,
  },
  {
    description: 'hash chain and store identity',
    sql: `ALTER TABLE %s.events ADD COLUMN previous_hash TEXT NULL, ADD COLUMN hash TEXT NULL;
          CREATE TABLE %s.store_meta (key TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL);`,
    run: async (client, schema) => {
      await client.query(`INSERT INTO ${schema}.store_meta (key, value) VALUES ('store_id', $1)`, [randomUUID()]);
      await chainExistingRows(client, schema);
    },
    // Once every row is chained: the columns are required and well-formed from now on.
    after: `ALTER TABLE %s.events
              ALTER COLUMN previous_hash SET NOT NULL,
              ALTER COLUMN hash SET NOT NULL,
              ADD CONSTRAINT events_previous_hash_format CHECK (previous_hash ~ '^[0-9a-f]{64}$'),
              ADD CONSTRAINT events_hash_format CHECK (hash ~ '^[0-9a-f]{64}$');`,
  },
  {
    description: 'append in one statement',
    // One call is the whole append. VOLATILE: every statement in it takes a fresh snapshot (READ
    // COMMITTED), so the reads after the lock see what the previous holder committed. The hash is
    // SHA-256 over the canonical text made in Node with the position, recordedAt and version left
    // out (they are only known here): head || position || ',"recordedAt":"' || recordedAt || '"' ||
    // tail || version || '}' is exactly canonical.ts's text (keys sorted: ..., position, recordedAt,
    // schemaVersion, streamId, type, version). Outcomes: 'appended', 'duplicate' (the command's
    // earlier rows), 'wrong_version' (o_version = actual), 'broken_chain' (o_position = last).
    sql: `CREATE FUNCTION %s.append_events(
            p_lock_class INTEGER, p_lock_key INTEGER, p_channel TEXT, p_schema TEXT,
            p_stream TEXT, p_command TEXT, p_expected INTEGER, p_now TEXT,
            p_event_ids UUID[], p_types TEXT[], p_schema_versions INTEGER[], p_data JSONB[], p_personal JSONB[],
            p_metadata JSONB[], p_heads TEXT[], p_tails TEXT[])
          RETURNS TABLE (o_outcome TEXT, o_event_id UUID, o_stream_id TEXT, o_version INTEGER, o_position BIGINT,
                         o_recorded_at TEXT)
          LANGUAGE plpgsql VOLATILE AS $fn$
          DECLARE
            v_actual INTEGER;
            v_last_position BIGINT;
            v_last_recorded TEXT;
            v_hash TEXT;
            v_recorded TEXT;
            v_previous TEXT[] := '{}';
            v_hashes TEXT[] := '{}';
          BEGIN
            PERFORM pg_advisory_xact_lock(p_lock_class, p_lock_key);
            RETURN QUERY SELECT 'duplicate', e.event_id, e.stream_id, e.version, e.position, e.recorded_at
                           FROM %s.events e WHERE e.command_id = p_command ORDER BY e.position;
            IF FOUND THEN RETURN; END IF;
            SELECT MAX(e.version) INTO v_actual FROM %s.events e WHERE e.stream_id = p_stream;
            v_actual := COALESCE(v_actual, 0);
            IF v_actual <> p_expected THEN
              RETURN QUERY SELECT 'wrong_version', NULL::UUID, p_stream, v_actual, NULL::BIGINT, NULL::TEXT;
              RETURN;
            END IF;
            SELECT e.position, e.recorded_at, e.hash INTO v_last_position, v_last_recorded, v_hash
              FROM %s.events e ORDER BY e.position DESC LIMIT 1;
            v_last_position := COALESCE(v_last_position, 0);
            v_hash := COALESCE(v_hash, repeat('0', 64));
            IF v_hash !~ '^[0-9a-f]{64}$' THEN
              RETURN QUERY SELECT 'broken_chain', NULL::UUID, p_stream, NULL::INTEGER, v_last_position, NULL::TEXT;
              RETURN;
            END IF;
            v_recorded := CASE WHEN v_last_recorded COLLATE "C" > p_now COLLATE "C" THEN v_last_recorded ELSE p_now END;
            FOR i IN 1 .. cardinality(p_event_ids) LOOP
              v_previous := v_previous || v_hash;
              v_hash := encode(sha256(decode(v_hash, 'hex') || convert_to(
                          p_heads[i] || (v_last_position + i)::TEXT || ',"recordedAt":"' || v_recorded || '"' ||
                          p_tails[i] || (p_expected + i)::TEXT || '}', 'UTF8')), 'hex');
              v_hashes := v_hashes || v_hash;
            END LOOP;
            INSERT INTO %s.events
              (position, event_id, stream_id, version, type, schema_version, data, personal, metadata, command_id,
               recorded_at, previous_hash, hash)
            SELECT v_last_position + u.ord, u.event_id, p_stream, p_expected + u.ord::INTEGER, u.type, u.schema_version,
                   u.data, u.personal, u.metadata, p_command, v_recorded, u.previous_hash, u.hash
              FROM unnest(p_event_ids, p_types, p_schema_versions, p_data, p_personal, p_metadata, v_previous, v_hashes)
                   WITH ORDINALITY AS u(event_id, type, schema_version, data, personal, metadata, previous_hash, hash, ord);
            PERFORM pg_notify(p_channel, p_schema);
            RETURN QUERY SELECT 'appended', u.event_id, p_stream, p_expected + u.ord::INTEGER, v_last_position + u.ord,
                                v_recorded
                           FROM unnest(p_event_ids) WITH ORDINALITY AS u(event_id, ord);
          END
          $fn$;`,
  },
];

export const POSTGRES_EVENT_STORE_SCHEMA_VERSION = MIGRATIONS.length;

const DEFAULT_SCHEMA = 'public';
const DEFAULT_POLL_INTERVAL_MS = 500;
const DEFAULT_POOL_SIZE = 10;
const CONNECT_TIMEOUT_MS = 10_000;
/** After the LISTEN connection failed, followers only poll for this long before trying again. */
const LISTEN_RETRY_MS = 5_000;
/** Unquoted-style identifier, so the schema name means the same quoted or not. */
const SCHEMA_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;
/** Event ids are stored as UUID; only the canonical lower-case form reads back exactly as written. */
const EVENT_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** First key of the two-key advisory locks of this store; the second is a hash of the schema name. */
const LOCK_CLASS = 0x45530001;
/** One channel for every schema of the database; the payload is the schema that was appended to. */
const NOTIFY_CHANNEL = 'event_store_appended';

const EVENT_COLUMNS =
  'position, event_id, stream_id, version, type, schema_version, data, personal, metadata, recorded_at, previous_hash, hash';

interface EventRow {
  position: string;
  event_id: string;
  stream_id: string;
  version: number;
  type: string;
  schema_version: number;
  data: JsonObject;
  personal: JsonObject | null;
  metadata: NewEventMetadata;
  recorded_at: string;
  previous_hash: string;
  hash: string;
}

interface CommandRow {
  event_id: string;
  stream_id: string;
  version: number;
  position: string;
  recorded_at: string;
}

interface ListenerState {
  client: pg.Client;
  /** Settles once LISTEN is in effect, the attempt failed or the listener was dropped; never rejects. */
  ready: Promise<void>;
  /** Settles `ready` when the listener is dropped (node-postgres never settles a connect() cut short by end()). */
  cancel: () => void;
  /** Set once `end()` was called. */
  ended: Promise<void> | null;
}

type Queryable = Pick<pg.PoolClient, 'query'>;

export class PostgresEventStore implements EventStore {
  /** Creates the store and brings its schema up to date (idempotent; safe to run from several processes at once). */
  static async open(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
    const store = new PostgresEventStore(options);
    try {
      await store.migrate();
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }

  readonly schema: string;
  private readonly connectionString: string;
  private readonly pool: pg.Pool;
  private readonly now: () => Date;
  private readonly pollIntervalMs: number;
  private readonly lockKey: number;
  private readonly table: string;
  private closed = false;
  private closing: Promise<void> | null = null;
  private storeId: string | null = null;

  /** Bumped on every change a follower should look at (notification, local commit, listener restart, close). */
  private generation = 0;
  /** Wake-up callbacks of followers waiting for new events. */
  private readonly waiters = new Set<() => void>();
  private followers = 0;
  private listener: ListenerState | null = null;
  /** LISTEN connections being closed, awaited by `close()`. */
  private readonly endingListeners = new Set<Promise<void>>();
  private listenRetryAt = 0;

  /** Prefer `PostgresEventStore.open`, which also creates the tables; the constructor does no I/O. */
  constructor(options: PostgresEventStoreOptions) {
    const { connectionString } = options;
    if (typeof connectionString !== 'string' || connectionString.length === 0) {
      throw new EventStoreError('STORE_UNAVAILABLE', 'PostgresEventStore needs a connectionString');
    }
    const schema = options.schema ?? DEFAULT_SCHEMA;
    if (typeof schema !== 'string' || !SCHEMA_PATTERN.test(schema)) {
      throw new RangeError(`invalid schema name ${JSON.stringify(schema)}: expected [a-z_][a-z0-9_]*, at most 63 characters`);
    }
    const poolSize = positiveOr(options.poolSize, DEFAULT_POOL_SIZE);
    if (!Number.isSafeInteger(poolSize)) throw new RangeError(`poolSize must be an integer, got ${poolSize}`);

    this.schema = schema;
    this.connectionString = connectionString;
    this.table = `${quoteIdent(schema)}.events`;
    this.lockKey = hash32(schema);
    this.now = options.now ?? (() => new Date());
    this.pollIntervalMs = positiveOr(options.pollIntervalMs, DEFAULT_POLL_INTERVAL_MS);
    this.pool = new Pool({ connectionString, max: poolSize, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
    // An idle pooled connection that dies (server restart) is discarded by the pool; the next query
    // reports the outage. Without a listener, the pool's 'error' event would crash the process.
    this.pool.on('error', () => {});
    // A checked-out connection has no listener of the pool's: the server ending it between two of
    // its queries (PostgreSQL stopping: 57P01) would crash the process. The query in flight or the
    // next one still fails, and release() drops the broken connection.
    this.pool.on('connect', (client) => client.on('error', () => {}));
  }

  async append(streamId: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult> {
    this.assertOpen();
    assertStreamId(streamId);
    validateAppend(events, options, postgresRule);

    const client = await this.connect();
    let broken: Error | undefined;
    try {
      const result = await this.appendInTransaction(client, streamId, events, options);
      if (!result.duplicate) this.wake();
      return result;
    } catch (error) {
      // The append is one statement, its own transaction: nothing is left open to roll back.
      if (isConnectionError(error)) broken = error as Error;
      throw await this.translateWriteError(error, streamId, options.expectedVersion, broken ? null : client);
    } finally {
      client.release(broken);
    }
  }

  async findCommand(commandId: string): Promise<AppendResult | null> {
    this.assertOpen();
    return this.run(() => this.commandResult(this.pool, commandId));
  }

  async readStream(streamId: string): Promise<RecordedEvent[]> {
    this.assertOpen();
    assertStreamId(streamId);
    return this.run(async () => {
      const { rows } = await this.pool.query<EventRow>({
        name: this.statementName('read-stream'),
        text: `SELECT ${EVENT_COLUMNS} FROM ${this.table} WHERE stream_id = $1 ORDER BY version`,
        values: [streamId],
      });
      return rows.map(toRecordedEvent);
    });
  }

  async *readAll(options: ReadAllOptions): AsyncGenerator<RecordedEvent[], void, undefined> {
    this.assertOpen();
    let after = checkPosition(options.after, 'after');
    const batchSize = checkBatchSize(options.batchSize);
    const upTo = options.upTo === undefined ? Number.MAX_SAFE_INTEGER : checkPosition(options.upTo, 'upTo');
    // Keyset pagination on the primary key: each batch is one short query, nothing held open between batches.
    while (after < upTo) {
      const batch = await this.readBatch(after, upTo, batchSize);
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
    // Keyset pagination along UNIQUE(stream_id, version), in the column's own collation (which need
    // not keep ids with a common prefix together, hence the filter rather than a range).
    let [stream, version] = ['', 0];
    for (;;) {
      const batch = await this.run(async () => {
        const { rows } = await this.pool.query<EventRow>(
          `SELECT ${EVENT_COLUMNS} FROM ${this.table}
            WHERE (stream_id, version) > ($1, $2) AND position <= $3 AND left(stream_id, length($4)) = $4
            ORDER BY stream_id, version LIMIT $5`,
          [stream, version, upTo, prefix, batchSize],
        );
        return rows.map(toRecordedEvent);
      });
      if (batch.length === 0) return;
      const last = batch[batch.length - 1]!;
      [stream, version] = [last.streamId, last.version];
      yield batch;
      if (batch.length < batchSize) return;
    }
  }

  async headPosition(): Promise<number> {
    this.assertOpen();
    return this.run(async () => {
      const { rows } = await this.pool.query<{ head: string }>(
        `SELECT COALESCE(MAX(position), 0) AS head FROM ${this.table}`,
      );
      return Number(rows[0]!.head);
    });
  }

  async headHash(): Promise<ChainHead> {
    this.assertOpen();
    return this.run(async () => {
      const { rows } = await this.pool.query<{ position: string; hash: string }>(
        `SELECT position, hash FROM ${this.table} ORDER BY position DESC LIMIT 1`,
      );
      const row = rows[0];
      return row === undefined ? { position: 0, hash: GENESIS_HASH } : { position: Number(row.position), hash: row.hash };
    });
  }

  /** Made by the schema migration that created `store_meta`; cached once read. */
  async identity(): Promise<StoreIdentity> {
    this.assertOpen();
    if (this.storeId === null) {
      const { rows } = await this.run(() =>
        this.pool.query<{ value: string }>(`SELECT value FROM ${quoteIdent(this.schema)}.store_meta WHERE key = 'store_id'`),
      );
      if (rows[0] === undefined) {
        throw new EventStoreError('STORE_UNAVAILABLE', `the PostgreSQL event store in schema ${this.schema} has no store_id`);
      }
      this.storeId = rows[0].value;
    }
    return { storeId: this.storeId, kind: 'postgres' };
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
    if (signal.aborted) return;

    this.followers += 1;
    try {
      while (!signal.aborted && !this.closed) {
        // LISTEN first, then read: a commit after this read is then either seen by the read or notified.
        await untilAborted(this.listen(), signal);
        if (signal.aborted || this.closed) return;
        const seen = this.generation;
        let batch: RecordedEvent[];
        try {
          batch = await this.readBatch(after, Number.MAX_SAFE_INTEGER, batchSize);
        } catch (error) {
          if (this.closed) return; // closed under our feet: end quietly, as on abort
          throw error;
        }
        if (signal.aborted) return;
        if (batch.length > 0) {
          after = batch[batch.length - 1]!.position;
          yield batch;
          continue;
        }
        // Nothing new: sleep until a notification or local commit, the poll tick, abort or close.
        // A wake-up that came while we were reading counts too (the generation moved).
        await this.waitForChange(signal, seen);
      }
    } finally {
      this.followers -= 1;
      if (this.followers === 0) void this.stopListening();
    }
  }

  async ping(): Promise<void> {
    this.assertOpen();
    await this.run(() => this.pool.query('SELECT 1'));
  }

  async close(): Promise<void> {
    if (this.closing) return this.closing;
    this.closed = true;
    this.wake();
    this.closing = (async () => {
      await this.stopListening();
      await Promise.all([...this.endingListeners]);
      await this.pool.end().catch(() => {});
    })();
    return this.closing;
  }

  /** Drops the store's schema with everything in it (tests). Refuses `public`, which holds more than this store. */
  async dropSchema(): Promise<void> {
    this.assertOpen();
    if (this.schema === DEFAULT_SCHEMA) throw new Error('PostgresEventStore.dropSchema refuses to drop the public schema');
    await this.run(() => this.pool.query(`DROP SCHEMA IF EXISTS ${quoteIdent(this.schema)} CASCADE`));
  }

  // --- internals: writing ------------------------------------------------------------------------

  /**
   * One round trip: a single statement, so its own transaction (atomic, the lock released after the
   * commit is visible). The function (migration 3) takes the lock, answers a known command, checks
   * the version, chains and inserts.
   */
  private async appendInTransaction(
    client: pg.PoolClient,
    streamId: string,
    events: NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    const n = events.length;
    const data: string[] = new Array(n);
    const personal: (string | null)[] = new Array(n);
    const metadata: string[] = new Array(n);
    const heads: string[] = new Array(n);
    const tails: string[] = new Array(n);
    const streamText = JSON.stringify(streamId);
    for (let i = 0; i < n; i++) {
      const event = events[i]!;
      data[i] = JSON.stringify(event.data);
      personal[i] = event.personal === null ? null : JSON.stringify(event.personal);
      metadata[i] = JSON.stringify(event.metadata);
      // The canonical text (canonical.ts) of the event as a read parses it back, keys in sorted order,
      // without the three values only the function knows.
      heads[i] =
        `{"data":${canonicalJson(JSON.parse(data[i]!) as JsonObject)},"eventId":${JSON.stringify(event.eventId)}` +
        `,"metadata":${canonicalJson(JSON.parse(metadata[i]!) as JsonObject)}` +
        `,"personal":${personal[i] === null ? 'null' : canonicalJson(JSON.parse(personal[i]!) as JsonObject)},"position":`;
      tails[i] =
        `,"schemaVersion":${canonicalJson(event.schemaVersion)},"streamId":${streamText},"type":${JSON.stringify(event.type)}` +
        ',"version":';
    }
    const recordedAt = this.now().toISOString();
    const { rows } = await client.query<{
      o_outcome: 'appended' | 'duplicate' | 'wrong_version' | 'broken_chain';
      o_event_id: string;
      o_stream_id: string;
      o_version: number;
      o_position: string;
      o_recorded_at: string;
    }>({
      name: this.statementName('append'),
      text: `SELECT * FROM ${quoteIdent(this.schema)}.append_events($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
      values: [
        LOCK_CLASS,
        this.lockKey,
        NOTIFY_CHANNEL,
        this.schema,
        streamId,
        options.commandId,
        options.expectedVersion,
        recordedAt,
        events.map((e) => e.eventId),
        events.map((e) => e.type),
        events.map((e) => e.schemaVersion),
        data,
        personal,
        metadata,
        heads,
        tails,
      ],
    });
    const first = rows[0]!;
    switch (first.o_outcome) {
      case 'duplicate':
        return toCommandResult(
          rows.map((r) => ({
            event_id: r.o_event_id,
            stream_id: r.o_stream_id,
            version: r.o_version,
            position: r.o_position,
            recorded_at: r.o_recorded_at,
          })),
        )!;
      case 'wrong_version':
        throw new WrongExpectedVersionError(streamId, options.expectedVersion, first.o_version);
      case 'broken_chain':
        // Only a write that bypassed the adapter (and the CHECK constraints) can leave this.
        throw new EventStoreError(
          'STORE_UNAVAILABLE',
          `the hash chain is broken: the last event (position ${first.o_position}) has no valid hash`,
          { position: Number(first.o_position) },
        );
    }
    return {
      streamId,
      version: rows[n - 1]!.o_version,
      events: rows.map((r) => ({ eventId: r.o_event_id, version: r.o_version, position: Number(r.o_position) })),
      recordedAt: first.o_recorded_at,
      duplicate: false,
    };
  }

  private async commandResult(db: Queryable, commandId: string): Promise<AppendResult | null> {
    const { rows } = await db.query<CommandRow>(
      `SELECT event_id, stream_id, version, position, recorded_at FROM ${this.table}
        WHERE command_id = $1 ORDER BY position`,
      [commandId],
    );
    return toCommandResult(rows);
  }

  /** `client` (its failed statement rolled back, still ours) serves the one follow-up query, so a pool of one cannot deadlock. */
  private async translateWriteError(
    error: unknown,
    streamId: string,
    expectedVersion: number,
    client: pg.PoolClient | null,
  ): Promise<unknown> {
    if (error instanceof EventStoreError) return error;
    const db = dbError(error);
    if (db?.code === '23505') {
      if (db.constraint === 'events_stream_version_unique') {
        // Someone else wrote this stream version first (only possible for a writer that bypassed the lock).
        let actualVersion = expectedVersion + 1;
        try {
          const { rows } = await (client ?? this.pool).query<{ v: number | null }>(
            `SELECT MAX(version) AS v FROM ${this.table} WHERE stream_id = $1`,
            [streamId],
          );
          actualVersion = rows[0]?.v ?? actualVersion;
        } catch {
          // keep the lower bound
        }
        return new WrongExpectedVersionError(streamId, expectedVersion, actualVersion);
      }
      if (db.constraint === 'events_event_id_unique') {
        return new EventStoreError('INVALID_APPEND', 'an eventId of this append already exists in the log', { streamId });
      }
      return new EventStoreError('INVALID_APPEND', `append to ${streamId} violates a uniqueness constraint: ${db.message}`, {
        streamId,
      });
    }
    // Data exceptions: text PostgreSQL cannot store (NUL characters, lone surrogates in JSON, ...).
    if (db?.code?.startsWith('22')) {
      return new EventStoreError('INVALID_APPEND', `append to ${streamId} holds a value PostgreSQL cannot store: ${db.message}`, {
        streamId,
        sqlState: db.code,
      });
    }
    return translateError(error, 'the PostgreSQL event store cannot write');
  }

  // --- internals: reading and following ----------------------------------------------------------

  private async readBatch(after: number, upTo: number, batchSize: number): Promise<RecordedEvent[]> {
    this.assertOpen();
    return this.run(async () => {
      const { rows } = await this.pool.query<EventRow>({
        name: this.statementName('read-batch'),
        text: `SELECT ${EVENT_COLUMNS} FROM ${this.table} WHERE position > $1 AND position <= $2 ORDER BY position LIMIT $3`,
        values: [after, upTo, batchSize],
      });
      return rows.map(toRecordedEvent);
    });
  }

  /** Starts the shared LISTEN connection when needed; settles when it listens or failed (then followers poll). */
  private listen(): Promise<void> {
    if (this.listener) return this.listener.ready;
    if (this.closed || Date.now() < this.listenRetryAt) return Promise.resolve();

    const client = new Client({
      connectionString: this.connectionString,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      application_name: `event-store-listen:${this.schema}`,
    });
    let cancel = (): void => {};
    const cancelled = new Promise<void>((resolvePromise) => {
      cancel = resolvePromise;
    });
    const state: ListenerState = { client, ready: cancelled, cancel, ended: null };
    this.listener = state;
    client.on('notification', (message) => {
      if (message.channel === NOTIFY_CHANNEL && message.payload === this.schema) this.wake();
    });
    // A broken connection: drop it, let the followers poll and try again later.
    client.on('error', () => void this.dropListener(state, true));
    client.on('end', () => void this.dropListener(state, true));
    const attempt = (async () => {
      try {
        await client.connect();
        await client.query(`LISTEN ${NOTIFY_CHANNEL}`);
        // Commits between the followers' last read and LISTEN were not notified: make them read again.
        if (this.listener === state) this.wake();
      } catch {
        void this.dropListener(state, true);
      }
    })();
    state.ready = Promise.race([attempt, cancelled]);
    return state.ready;
  }

  /** Forgets the listener (if still current) and ends its connection; the returned promise settles when it is closed. */
  private dropListener(state: ListenerState, failed: boolean): Promise<void> {
    if (this.listener === state) {
      this.listener = null;
      if (failed) {
        this.listenRetryAt = Date.now() + LISTEN_RETRY_MS;
        this.wake();
      }
    }
    state.cancel();
    if (!state.ended) {
      const ended = state.client.end().catch(() => {});
      state.ended = ended;
      this.endingListeners.add(ended);
      void ended.then(() => this.endingListeners.delete(ended));
    }
    return state.ended;
  }

  private async stopListening(): Promise<void> {
    const state = this.listener;
    if (!state) return;
    await this.dropListener(state, false);
  }

  private waitForChange(signal: AbortSignal, seen: number): Promise<void> {
    return new Promise<void>((resolvePromise) => {
      if (signal.aborted || this.closed || this.generation !== seen) {
        resolvePromise();
        return;
      }
      let timer: NodeJS.Timeout | undefined;
      const done = (): void => {
        if (timer !== undefined) clearTimeout(timer);
        this.waiters.delete(done);
        signal.removeEventListener('abort', done);
        resolvePromise();
      };
      this.waiters.add(done);
      signal.addEventListener('abort', done, { once: true });
      timer = setTimeout(done, this.pollIntervalMs);
    });
  }

  private wake(): void {
    this.generation += 1;
    if (this.waiters.size === 0) return;
    for (const wake of [...this.waiters]) wake();
  }

  // --- internals: schema ---------------------------------------------------------------------------

  private async migrate(): Promise<void> {
    const client = await this.connect();
    let broken: Error | undefined;
    const schema = quoteIdent(this.schema);
    try {
      await client.query('BEGIN');
      // The appends' lock: concurrent openers (and appends) wait while the schema changes.
      await client.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_CLASS, this.lockKey]);
      const exists = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [this.schema]);
      if (exists.rowCount === 0) {
        // Other components (the read models) may create the same schema at the same moment.
        await client.query('SAVEPOINT create_schema');
        try {
          await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
        } catch (error) {
          if (!isAlreadyExists(error)) throw error;
          await client.query('ROLLBACK TO SAVEPOINT create_schema');
        }
      }
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (
           version     INTEGER     NOT NULL PRIMARY KEY,
           description TEXT        NOT NULL,
           applied_at  TIMESTAMPTZ NOT NULL DEFAULT now()
         )`,
      );
      const { rows } = await client.query<{ current: number }>(
        `SELECT COALESCE(MAX(version), 0) AS current FROM ${schema}.schema_migrations`,
      );
      const current = rows[0]!.current;
      if (current > MIGRATIONS.length) {
        throw new EventStoreError(
          'STORE_UNAVAILABLE',
          `event store schema version ${current} is newer than this code supports (${MIGRATIONS.length})`,
          { schemaVersion: current, supported: MIGRATIONS.length },
        );
      }
      for (let v = current; v < MIGRATIONS.length; v++) {
        const migration = MIGRATIONS[v]!;
        await client.query(migration.sql.replaceAll('%s', schema));
        if (migration.run) await migration.run(client, schema);
        if (migration.after) await client.query(migration.after.replaceAll('%s', schema));
        await client.query(`INSERT INTO ${schema}.schema_migrations (version, description) VALUES ($1, $2)`, [
          v + 1,
          migration.description,
        ]);
      }
      await client.query('COMMIT');
    } catch (error) {
      if (isConnectionError(error)) broken = error as Error;
      if (!broken) {
        await client.query('ROLLBACK').catch((rollbackError: unknown) => {
          broken = rollbackError as Error;
        });
      }
      throw translateError(error, `cannot initialise the PostgreSQL event store in schema ${this.schema}`);
    } finally {
      client.release(broken);
    }
  }

  // --- internals: plumbing -----------------------------------------------------------------------

  private async connect(): Promise<pg.PoolClient> {
    try {
      return await this.pool.connect();
    } catch (error) {
      throw translateError(error, 'cannot connect to the PostgreSQL event store');
    }
  }

  /**
   * The name of one of the hot statements (append, stream read, log read), prepared once per pooled
   * connection by node-postgres instead of parsed and planned on every call. A connection prepares
   * each name for one text only, and the pool's connections serve this store (one schema) alone, so
   * the names need not carry the schema; nor may they: PostgreSQL cuts names at 63 bytes, and with
   * a long schema name two statements' names would become one.
   */
  private statementName(statement: 'append' | 'read-stream' | 'read-batch'): string {
    return `event-store-${statement}`;
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreError('STORE_UNAVAILABLE', 'the PostgreSQL event store is closed');
  }

  private async run<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (this.closed) throw new EventStoreError('STORE_UNAVAILABLE', 'the PostgreSQL event store is closed');
      throw translateError(error, 'the PostgreSQL event store cannot read');
    }
  }
}

// --- validation --------------------------------------------------------------------------------

/** The common rules, plus: eventIds are canonical lower-case UUIDs (the column is UUID), schema versions fit an INT. */
const postgresRule = (event: NewEvent): string | null =>
  !EVENT_ID_PATTERN.test(event.eventId)
    ? `eventId ${JSON.stringify(event.eventId)} is not a lower-case UUID`
    : Number.isSafeInteger(event.schemaVersion) && event.schemaVersion > 2 ** 31 - 1
      ? `event ${event.eventId} has an invalid schemaVersion ${String(event.schemaVersion)}`
      : null;

// --- mapping & helpers -------------------------------------------------------------------------

/** JSONB columns arrive parsed (node-postgres' default); BIGINT arrives as a string. */
function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    streamId: row.stream_id,
    version: row.version,
    position: Number(row.position),
    eventId: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    data: row.data,
    personal: row.personal,
    metadata: row.metadata,
    recordedAt: row.recorded_at,
    previousHash: row.previous_hash,
    hash: row.hash,
  };
}

/** The answer to a command already in the log (its rows in position order), or null. */
function toCommandResult(rows: CommandRow[]): AppendResult | null {
  if (rows.length === 0) return null;
  const first = rows[0]!;
  const last = rows[rows.length - 1]!;
  return {
    streamId: first.stream_id,
    version: last.version,
    events: rows.map((row) => ({ eventId: row.event_id, version: row.version, position: Number(row.position) })),
    recordedAt: first.recorded_at,
    duplicate: true,
  };
}

/** Migration 2: chains the rows already in the log, in position order, from what a read returns. */
async function chainExistingRows(client: pg.PoolClient, schema: string): Promise<void> {
  const table = `${schema}.events`;
  let previousHash = GENESIS_HASH;
  let after = 0;
  for (;;) {
    const { rows } = await client.query<EventRow>(
      `SELECT position, event_id, stream_id, version, type, schema_version, data, personal, metadata, recorded_at,
              '' AS previous_hash, '' AS hash
         FROM ${table} WHERE position > $1 ORDER BY position LIMIT 1000`,
      [after],
    );
    if (rows.length === 0) return;
    const positions: string[] = [];
    const previousHashes: string[] = [];
    const hashes: string[] = [];
    for (const row of rows) {
      const hash = chainHash(previousHash, toRecordedEvent(row));
      positions.push(row.position);
      previousHashes.push(previousHash);
      hashes.push(hash);
      previousHash = hash;
    }
    await client.query(
      `UPDATE ${table} AS t SET previous_hash = u.previous_hash, hash = u.hash
         FROM unnest($1::bigint[], $2::text[], $3::text[]) AS u(position, previous_hash, hash)
        WHERE t.position = u.position`,
      [positions, previousHashes, hashes],
    );
    after = Number(rows[rows.length - 1]!.position);
  }
}

function quoteIdent(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

/** FNV-1a, as a signed 32-bit integer (an advisory lock key). A collision only makes two schemas share a lock. */
function hash32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}

/** Resolves when `promise` settles or `signal` aborts, whichever comes first; leaves no listener behind. */
function untilAborted(promise: Promise<void>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise<void>((resolvePromise) => {
    const done = (): void => {
      signal.removeEventListener('abort', done);
      resolvePromise();
    };
    signal.addEventListener('abort', done, { once: true });
    promise.then(done, done);
  });
}

interface DbErrorShape {
  code?: string;
  constraint?: string;
  message: string;
}

/** A server-reported error (pg's DatabaseError), recognised by shape. */
function dbError(error: unknown): DbErrorShape | undefined {
  const e = error as { code?: unknown; severity?: unknown } | null;
  if (typeof e === 'object' && e !== null && typeof e.code === 'string' && typeof e.severity === 'string') {
    return e as DbErrorShape;
  }
  return undefined;
}

/**
 * Errors meaning "the database cannot be used now": socket errors (refused, reset, timed out, name
 * resolution), node-postgres' own connection errors (terminated connection, connect timeout, ended
 * pool, unusable client), and server errors of the classes connection exception (08), insufficient
 * resources (53), operator intervention (57), system error (58), authorisation (28), unknown database
 * (3D) and internal error (XX). Anything else (a bug, a bad query) is rethrown untouched.
 */
function isConnectionError(error: unknown): boolean {
  if (error instanceof EventStoreError) return error.code === 'STORE_UNAVAILABLE';
  const db = dbError(error);
  if (db) return /^(08|53|57|58|28|3D|XX)/.test(db.code ?? '');
  if (typeof error !== 'object' || error === null) return false;
  const { code, syscall, message } = error as { code?: unknown; syscall?: unknown; message?: unknown };
  if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return true; // ECONNREFUSED, ECONNRESET, ETIMEDOUT, EAI_AGAIN...
  if (typeof syscall === 'string') return true;
  return (
    typeof message === 'string' &&
    /connection terminated|timeout exceeded when trying to connect|not queryable|after calling end on the pool|connection error|query read timeout/i.test(
      message,
    )
  );
}

function translateError(error: unknown, message: string): unknown {
  if (error instanceof EventStoreError) return error;
  const db = dbError(error);
  // A missing schema or table: the store was never opened here, or was dropped.
  const missing = db?.code === '3F000' || db?.code === '42P01';
  if (!missing && !isConnectionError(error)) return error;
  const translated = new EventStoreError('STORE_UNAVAILABLE', `${message}: ${(error as Error)?.message ?? String(error)}`, {
    sqlState: db?.code,
    errorCode: db ? undefined : (error as { code?: unknown })?.code,
  });
  (translated as Error & { cause?: unknown }).cause = error;
  return translated;
}

/** `CREATE SCHEMA IF NOT EXISTS` can still lose a race: unique violation or duplicate schema. */
function isAlreadyExists(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === '42P06';
}
