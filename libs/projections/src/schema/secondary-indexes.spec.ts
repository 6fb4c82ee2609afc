import { openSqliteReadModels } from './data-source.js';
import { createIndexSql, SECONDARY_INDEXES } from './secondary-indexes.js';

describe('secondary indexes a rebuild drops and creates again', () => {
  it('are exactly the non-unique indexes the migrations create on those tables, with the same columns', async () => {
    const ds = await openSqliteReadModels(':memory:');
    try {
      const tables = [...new Set(SECONDARY_INDEXES.map((i) => i.table))];
      const migrated: { name: string; sql: string }[] = await ds.query(
        `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${tables.map(() => '?').join(', ')}) ORDER BY name`,
        tables,
      );
      expect(migrated.length).toBeGreaterThan(0);
      const normalise = (sql: string) => sql.replace(/\s+/g, ' ').replace(' IF NOT EXISTS', '').trim();
      expect(migrated.map((m) => normalise(m.sql))).toEqual([...SECONDARY_INDEXES].sort((a, b) => a.name.localeCompare(b.name)).map((i) => normalise(createIndexSql(i))));
    } finally {
      await ds.destroy();
    }
  });
});
