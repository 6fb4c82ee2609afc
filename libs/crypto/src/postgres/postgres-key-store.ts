import pg from 'pg';
import { CryptoError } from '../envelope.js';
import type { DestroyOutcome, KeyStore, StoredDataKey } from '../key-store.port.js';

/**
 * Data keys in PostgreSQL: a `data_keys` table in the deployment's schema (beside the events, but a
 * table of its own, so it can be granted, dumped and restored on its own terms).
 *
 * A destruction sets `wrapped_key` to NULL. PostgreSQL keeps the old row version until VACUUM
 * reclaims it, and WAL archives and base backups keep what they copied: the README explains why
 * rotating the master key is what makes such leftover copies useless.
 */
export interface PostgresKeyStoreOptions {
  connectionString: string;
  /** Schema holding `data_keys` (created when missing); default `public`. */
  schema?: string;
  poolSize?: number;
}

const SCHEMA_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;
const COLUMNS = 'subject_id, wrapped_key, master_key_id, created_at, destroyed_at';
/** Advisory-lock key of the key store's migration (two-key form: class, schema hash). */
const LOCK_CLASS = 0x6b657973; // 'keys'

interface Row {
  subject_id: string;
  wrapped_key: Buffer | null;
  master_key_id: string;
  created_at: string;
  destroyed_at: string | null;
}

const toKey = (r: Row): StoredDataKey => ({
  subjectId: r.subject_id,
  wrappedKey: r.wrapped_key,
  masterKeyId: r.master_key_id,
  createdAt: r.created_at,
  destroyedAt: r.destroyed_at,
});

export class PostgresKeyStore implements KeyStore {
  /** Creates the table when missing (safe from several processes at once). */
  static async open(options: PostgresKeyStoreOptions): Promise<PostgresKeyStore> {
    const store = new PostgresKeyStore(options);
    try {
      await store.migrate();
    } catch (error) {
      await store.close();
      throw new CryptoError('KEY_STORE_UNAVAILABLE', `cannot open the key store in schema ${store.schema}: ${(error as Error).message}`, { cause: error });
    }
    return store;
  }

  readonly schema: string;
  private readonly table: string;
  private readonly pool: pg.Pool;
  private closed = false;

  private constructor(options: PostgresKeyStoreOptions) {
    const schema = options.schema ?? 'public';
    if (!SCHEMA_PATTERN.test(schema)) throw new RangeError(`invalid schema name ${JSON.stringify(schema)}`);
    this.schema = schema;
    this.table = `"${schema}".data_keys`;
    this.pool = new pg.Pool({ connectionString: options.connectionString, max: options.poolSize ?? 4, connectionTimeoutMillis: 10_000 });
    this.pool.on('error', () => {});
    // As in the event store: a connection ended by the server while checked out must not crash the process.
    this.pool.on('connect', (client) => client.on('error', () => {}));
  }

  private async migrate(): Promise<void> {
    // The event store and the read models may be creating the same schema at this moment, under
    // locks of their own: `IF NOT EXISTS` can still lose that race, and then the next try succeeds.
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.migrateOnce();
      } catch (error) {
        if (attempt >= 5 || !isAlreadyExists(error)) throw error;
      }
    }
  }

  private async migrateOnce(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_CLASS, this.schema]);
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${this.schema}"`);
      await client.query(`CREATE TABLE IF NOT EXISTS ${this.table} (
        subject_id    TEXT  NOT NULL PRIMARY KEY,
        wrapped_key   BYTEA NULL,
        master_key_id TEXT  NOT NULL,
        created_at    TEXT  NOT NULL,
        destroyed_at  TEXT  NULL,
        CHECK ((wrapped_key IS NULL) = (destroyed_at IS NOT NULL))
      )`);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async get(subjectId: string): Promise<StoredDataKey | null> {
    const { rows } = await this.query<Row>(`SELECT ${COLUMNS} FROM ${this.table} WHERE subject_id = $1`, [subjectId]);
    return rows[0] ? toKey(rows[0]) : null;
  }

  async getMany(subjectIds: readonly string[]): Promise<Map<string, StoredDataKey>> {
    const out = new Map<string, StoredDataKey>();
    if (subjectIds.length === 0) return out;
    const { rows } = await this.query<Row>(`SELECT ${COLUMNS} FROM ${this.table} WHERE subject_id = ANY($1::text[])`, [[...new Set(subjectIds)]]);
    for (const r of rows) out.set(r.subject_id, toKey(r));
    return out;
  }

  async create(subjectId: string, wrappedKey: Buffer, masterKeyId: string, at: Date): Promise<StoredDataKey> {
    await this.query(`INSERT INTO ${this.table} (${COLUMNS}) VALUES ($1, $2, $3, $4, NULL) ON CONFLICT (subject_id) DO NOTHING`, [
      subjectId,
      wrappedKey,
      masterKeyId,
      at.toISOString(),
    ]);
    return (await this.get(subjectId))!;
  }

  async destroy(subjectId: string, masterKeyId: string, at: Date): Promise<DestroyOutcome> {
    this.assertOpen();
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // Insert a tombstone if there is no row; otherwise lock the row and look at it.
      const inserted = await client.query(
        `INSERT INTO ${this.table} (${COLUMNS}) VALUES ($1, NULL, $2, $3, $3) ON CONFLICT (subject_id) DO NOTHING RETURNING subject_id`,
        [subjectId, masterKeyId, at.toISOString()],
      );
      let outcome: DestroyOutcome;
      if (inserted.rowCount === 1) outcome = 'tombstoned';
      else {
        const { rows } = await client.query<{ destroyed_at: string | null }>(`SELECT destroyed_at FROM ${this.table} WHERE subject_id = $1 FOR UPDATE`, [subjectId]);
        if (rows[0]!.destroyed_at !== null) outcome = 'already-destroyed';
        else {
          await client.query(`UPDATE ${this.table} SET wrapped_key = NULL, destroyed_at = $2 WHERE subject_id = $1`, [subjectId, at.toISOString()]);
          outcome = 'destroyed';
        }
      }
      await client.query('COMMIT');
      return outcome;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async anyLive(): Promise<StoredDataKey | null> {
    const { rows } = await this.query<Row>(`SELECT ${COLUMNS} FROM ${this.table} WHERE destroyed_at IS NULL LIMIT 1`, []);
    return rows[0] ? toKey(rows[0]) : null;
  }

  async ping(): Promise<void> {
    await this.query('SELECT 1', []);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  private async query<R extends pg.QueryResultRow>(sql: string, params: unknown[]): Promise<pg.QueryResult<R>> {
    this.assertOpen();
    try {
      return await this.pool.query<R>(sql, params);
    } catch (error) {
      throw new CryptoError('KEY_STORE_UNAVAILABLE', `the key store cannot be reached: ${(error as Error).message}`, { cause: error });
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new CryptoError('KEY_STORE_UNAVAILABLE', 'the key store is closed');
  }
}

/** A concurrent `CREATE ... IF NOT EXISTS` won: unique violation, duplicate schema or duplicate table. */
function isAlreadyExists(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === '42P06' || code === '42P07';
}
