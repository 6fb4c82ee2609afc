import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { ReadModels1732800000000 } from './1732800000000-read-models.migration.js';
import { Audit1732900000000 } from './1732900000000-audit.migration.js';
import { AccessTokens1733000000000 } from './1733000000000-access-tokens.migration.js';
import { StockDeltas1733100000000 } from './1733100000000-stock-deltas.migration.js';
import { StockGroupDeltas1733200000000 } from './1733200000000-stock-group-deltas.migration.js';
import { DropRowKey1733300000000 } from './1733300000000-drop-row-key.migration.js';
import { StockCorners1733400000000 } from './1733400000000-stock-corners.migration.js';
import { RecordedDayIndex1733500000000 } from './1733500000000-recorded-day-index.migration.js';
import { READ_MODEL_ENTITIES } from './read-model.entities.js';

export const READ_MODEL_MIGRATIONS = [ReadModels1732800000000, Audit1732900000000, AccessTokens1733000000000, StockDeltas1733100000000, StockGroupDeltas1733200000000, DropRowKey1733300000000, StockCorners1733400000000, RecordedDayIndex1733500000000];

/** The embedded default: read models in their own SQLite file (WAL), schema by migrations, never `synchronize`. */
export async function openSqliteReadModels(filename: string): Promise<DataSource> {
  if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true });
  const dataSource = new DataSource({
    type: 'better-sqlite3',
    database: filename,
    entities: READ_MODEL_ENTITIES,
    migrations: READ_MODEL_MIGRATIONS,
    migrationsRun: true,
    synchronize: false,
    enableWAL: true,
    prepareDatabase: (db: { pragma(sql: string): unknown }) => {
      db.pragma('synchronous = NORMAL');
      db.pragma('busy_timeout = 5000');
    },
  });
  return dataSource.initialize();
}

/**
 * Read models on PostgreSQL, shared by several API processes and the projector. Tables live in
 * `schema` (created if missing); `search_path` points there so that plain table names resolve.
 */
export async function openPostgresReadModels(url: string, schema = 'public', options: { migrationsRun?: boolean } = {}): Promise<DataSource> {
  // Several processes may start at once: schema creation and migrations run under one advisory lock.
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [`read-models:${schema}`]);
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    } catch (error) {
      // The event store may be creating the same schema at this very moment.
      const code = (error as { code?: unknown }).code;
      if (code !== '23505' && code !== '42P06') throw error;
    }
    const dataSource = new DataSource({
      type: 'postgres',
      url,
      schema,
      entities: READ_MODEL_ENTITIES,
      migrations: READ_MODEL_MIGRATIONS,
      migrationsRun: false,
      migrationsTransactionMode: 'all',
      synchronize: false,
      extra: { options: `-c search_path="${schema}"`, max: 10 },
    });
    await dataSource.initialize();
    if (options.migrationsRun ?? true) await dataSource.runMigrations({ transaction: 'all' });
    return dataSource;
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`read-models:${schema}`]).catch(() => undefined);
    await client.end();
  }
}
