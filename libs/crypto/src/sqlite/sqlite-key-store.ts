import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { CryptoError } from '../envelope.js';
import type { DestroyOutcome, KeyStore, StoredDataKey } from '../key-store.port.js';

/**
 * Data keys in a SQLite file of their own (`DATA_DIR/keys.sqlite`), so that it can be backed up,
 * restored and destroyed apart from the events.
 *
 * `secure_delete` makes SQLite zero the bytes a destroyed key occupied, and a destruction ends with
 * a truncating WAL checkpoint, so that neither the database file nor its WAL keeps the wrapped key
 * (a checkpoint that another connection's read blocks completes at the next destruction or close).
 * What the file system or an SSD keeps of freed blocks is out of SQLite's reach: see the README on
 * backups and master-key rotation.
 */
export interface SqliteKeyStoreOptions {
  /** Path of the database file, or `':memory:'`. The parent directory is created when missing. */
  filename: string;
  busyTimeoutMs?: number;
}

interface Row {
  subject_id: string;
  wrapped_key: Buffer | null;
  master_key_id: string;
  created_at: string;
  destroyed_at: string | null;
}

const toKey = (r: Row): StoredDataKey => ({
  subjectId: r.subject_id,
  wrappedKey: r.wrapped_key === null ? null : Buffer.from(r.wrapped_key),
  masterKeyId: r.master_key_id,
  createdAt: r.created_at,
  destroyedAt: r.destroyed_at,
});

/** SQLite binds at most 32,766 variables; lists are read in chunks well below that. */
const CHUNK = 500;

export class SqliteKeyStore implements KeyStore {
  private readonly db: Database.Database;
  private readonly stmtGet: Database.Statement<[string], Row>;
  private readonly stmtInsert: Database.Statement<[string, Buffer | null, string, string, string | null]>;
  private readonly stmtDestroy: Database.Statement<[string, string]>;
  private readonly stmtAnyLive: Database.Statement<[], Row>;
  private readonly destroyTx: Database.Transaction<(subjectId: string, masterKeyId: string, at: string) => DestroyOutcome>;
  private closed = false;

  constructor(options: SqliteKeyStoreOptions) {
    const inMemory = options.filename === ':memory:';
    try {
      if (!inMemory) mkdirSync(dirname(resolve(options.filename)), { recursive: true });
      this.db = new Database(options.filename, { timeout: options.busyTimeoutMs ?? 5000 });
      this.db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
      this.db.pragma('secure_delete = ON');
      this.db.exec(`CREATE TABLE IF NOT EXISTS data_keys (
        subject_id    TEXT NOT NULL PRIMARY KEY,
        wrapped_key   BLOB NULL,
        master_key_id TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        destroyed_at  TEXT NULL,
        CHECK ((wrapped_key IS NULL) = (destroyed_at IS NOT NULL))
      )`);
    } catch (error) {
      throw new CryptoError('KEY_STORE_UNAVAILABLE', `cannot open the key store at ${options.filename}: ${(error as Error).message}`, { cause: error });
    }
    const columns = 'subject_id, wrapped_key, master_key_id, created_at, destroyed_at';
    this.stmtGet = this.db.prepare(`SELECT ${columns} FROM data_keys WHERE subject_id = ?`);
    this.stmtInsert = this.db.prepare(`INSERT INTO data_keys (${columns}) VALUES (?, ?, ?, ?, ?) ON CONFLICT (subject_id) DO NOTHING`);
    this.stmtDestroy = this.db.prepare('UPDATE data_keys SET wrapped_key = NULL, destroyed_at = ? WHERE subject_id = ? AND destroyed_at IS NULL');
    this.stmtAnyLive = this.db.prepare(`SELECT ${columns} FROM data_keys WHERE destroyed_at IS NULL LIMIT 1`);
    this.destroyTx = this.db.transaction((subjectId: string, masterKeyId: string, at: string): DestroyOutcome => {
      const row = this.stmtGet.get(subjectId);
      if (!row) {
        this.stmtInsert.run(subjectId, null, masterKeyId, at, at);
        return 'tombstoned';
      }
      if (row.destroyed_at !== null) return 'already-destroyed';
      this.stmtDestroy.run(at, subjectId);
      return 'destroyed';
    });
  }

  async get(subjectId: string): Promise<StoredDataKey | null> {
    this.assertOpen();
    const row = this.stmtGet.get(subjectId);
    return row ? toKey(row) : null;
  }

  async getMany(subjectIds: readonly string[]): Promise<Map<string, StoredDataKey>> {
    this.assertOpen();
    const out = new Map<string, StoredDataKey>();
    const unique = [...new Set(subjectIds)];
    for (let i = 0; i < unique.length; i += CHUNK) {
      const chunk = unique.slice(i, i + CHUNK);
      const rows = this.db
        .prepare(`SELECT subject_id, wrapped_key, master_key_id, created_at, destroyed_at FROM data_keys WHERE subject_id IN (${chunk.map(() => '?').join(',')})`)
        .all(...chunk) as Row[];
      for (const r of rows) out.set(r.subject_id, toKey(r));
    }
    return out;
  }

  async create(subjectId: string, wrappedKey: Buffer, masterKeyId: string, at: Date): Promise<StoredDataKey> {
    this.assertOpen();
    this.stmtInsert.run(subjectId, wrappedKey, masterKeyId, at.toISOString(), null);
    return toKey(this.stmtGet.get(subjectId)!);
  }

  async destroy(subjectId: string, masterKeyId: string, at: Date): Promise<DestroyOutcome> {
    this.assertOpen();
    const outcome = this.destroyTx.immediate(subjectId, masterKeyId, at.toISOString());
    // The WAL still holds the page with the wrapped key: copy it back into the (zeroed) file and empty the WAL.
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    return outcome;
  }

  async anyLive(): Promise<StoredDataKey | null> {
    this.assertOpen();
    const row = this.stmtAnyLive.get();
    return row ? toKey(row) : null;
  }

  async ping(): Promise<void> {
    this.assertOpen();
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new CryptoError('KEY_STORE_UNAVAILABLE', 'the key store is closed');
  }
}
