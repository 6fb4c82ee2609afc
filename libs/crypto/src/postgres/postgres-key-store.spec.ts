import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { keyStoreContract } from '../testing/key-store.contract.js';
import { PostgresKeyStore } from './postgres-key-store.js';

/** Runs on PostgreSQL when DATABASE_URL is set (as `.ci/run` does); each test in a schema of its own. */
const DATABASE_URL = process.env['DATABASE_URL'];
const onPostgres = DATABASE_URL ? describe : describe.skip;
if (!DATABASE_URL) console.warn('PostgreSQL key-store tests skipped: DATABASE_URL is not set');

const schemas = new Set<string>();
const newSchema = () => {
  const s = `t_keys_${randomBytes(5).toString('hex')}`;
  schemas.add(s);
  return s;
};

async function sql<R extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    return (await client.query<R>(text, params)).rows;
  } finally {
    await client.end();
  }
}

onPostgres('PostgresKeyStore', () => {
  afterAll(async () => {
    for (const s of schemas) await sql(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
  });

  keyStoreContract('PostgreSQL', () => PostgresKeyStore.open({ connectionString: DATABASE_URL!, schema: newSchema() }));

  it('opens while another process creates the same schema under a lock of its own (the event store, the read models)', async () => {
    const schema = newSchema();
    const competitor = new pg.Client({ connectionString: DATABASE_URL });
    await competitor.connect();
    try {
      // The competitor's schema is not committed yet: the key store's CREATE SCHEMA IF NOT EXISTS waits for it, then collides.
      await competitor.query('BEGIN');
      await competitor.query(`CREATE SCHEMA "${schema}"`);
      const opening = PostgresKeyStore.open({ connectionString: DATABASE_URL!, schema });
      await new Promise((resolve) => setTimeout(resolve, 300));
      await competitor.query('COMMIT');
      const store = await opening;
      await store.ping();
      await store.close();
    } finally {
      await competitor.end();
    }
  });

  it('creates data_keys in the schema, from several processes at once, holding only wrapped keys', async () => {
    const schema = newSchema();
    const stores = await Promise.all([1, 2, 3].map(() => PostgresKeyStore.open({ connectionString: DATABASE_URL!, schema })));
    try {
      const columns = await sql<{ column_name: string; data_type: string }>(
        'SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position',
        [schema, 'data_keys'],
      );
      expect(columns.map((c) => [c.column_name, c.data_type])).toEqual([
        ['subject_id', 'text'],
        ['wrapped_key', 'bytea'],
        ['master_key_id', 'text'],
        ['created_at', 'text'],
        ['destroyed_at', 'text'],
      ]);
      const subject = randomUUID();
      const wrapped = randomBytes(60);
      const rows = await Promise.all(stores.map((s, i) => s.create(subject, i === 0 ? wrapped : randomBytes(60), 'mk1', new Date())));
      expect(new Set(rows.map((r) => r.wrappedKey!.toString('hex'))).size).toBe(1);
      expect((await Promise.all(stores.map((s) => s.destroy(subject, 'mk1', new Date())))).sort()).toEqual(['already-destroyed', 'already-destroyed', 'destroyed']);
      expect(await sql(`SELECT wrapped_key FROM "${schema}".data_keys WHERE subject_id = $1`, [subject])).toEqual([{ wrapped_key: null }]);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });
});
