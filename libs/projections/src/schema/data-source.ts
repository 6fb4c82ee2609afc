import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource } from 'typeorm';
import { ReadModels1732800000000 } from './1732800000000-read-models.migration.js';
import { READ_MODEL_ENTITIES } from './read-model.entities.js';

export const READ_MODEL_MIGRATIONS = [ReadModels1732800000000];

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
