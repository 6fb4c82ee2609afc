import { Table, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';
import { CORNER_KEYS, CORNER_TABLES, StockCorners } from '../case-projection/stock-corners.js';
import { profileOfRow } from '../case-projection/stock-deltas.js';
import { OPEN_INSTANT } from './read-model.entities.js';

const COLUMN: Record<string, TableColumnOptions> = {
  scope: { name: 'scope', type: 'varchar', length: '10', isPrimary: true },
  recorded_month: { name: 'recorded_month', type: 'varchar', length: '7', isPrimary: true },
  recorded_day: { name: 'recorded_day', type: 'varchar', length: '10', isPrimary: true },
  valid_month: { name: 'valid_month', type: 'varchar', length: '7', isPrimary: true },
  valid_day: { name: 'valid_day', type: 'varchar', length: '10', isPrimary: true },
  measure: { name: 'measure', type: 'varchar', length: '40', isPrimary: true },
};

/**
 * Corner deltas of the status intervals' (recording, valid) rectangles (see `stock-corners.ts`), so
 * that a count known at a past instant reads sums instead of scanning intervals; filled from the
 * status intervals already projected, so that existing read models need no rebuild. Also an index
 * on (scope, recorded_from): the corners recorded on `knownAt`'s own day are read from the intervals.
 */
export class StockCorners1733400000000 implements MigrationInterface {
  name = 'StockCorners1733400000000';

  async up(q: QueryRunner): Promise<void> {
    for (const grain of Object.keys(CORNER_TABLES) as (keyof typeof CORNER_TABLES)[]) {
      await q.createTable(
        new Table({
          name: CORNER_TABLES[grain],
          withoutRowid: true,
          columns: [...CORNER_KEYS[grain].map((c) => COLUMN[c]!), { name: 'delta', type: 'integer' }],
        }),
      );
    }
    await q.createIndex('status_intervals', new TableIndex({ name: 'ix_status_intervals_recorded_from', columnNames: ['scope', 'recorded_from'] }));
    await backfillStockCorners(q);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('status_intervals', 'ix_status_intervals_recorded_from');
    for (const table of Object.values(CORNER_TABLES)) await q.dropTable(table);
  }
}

const PAGE = 20_000;
/** Corner keys held in memory before they are added to the tables. */
const FLUSH_KEYS = 200_000;

/** Adds the corners of every status interval, open or closed (into empty tables: the migration, or a check of the projection). */
export async function backfillStockCorners(q: QueryRunner): Promise<void> {
  const postgres = q.connection.options.type === 'postgres';
  const p = (i: number) => (postgres ? `$${i}` : '?');
  const corners = new StockCorners();
  let after = 0;
  for (;;) {
    // Joined with the profiles as the interval queries are: only opened cases count.
    const rows: Record<string, string | number | null>[] = await q.query(
      `SELECT si.id, si.scope, si.status, si.valid_from, si.valid_to, si.on_hunger_strike, si.recorded_from, si.recorded_to,
              p.foreign_national, p.gender, p.affiliation, p.minor
         FROM status_intervals si JOIN case_profiles p ON p.case_id = si.case_id
        WHERE si.id > ${p(1)} ORDER BY si.id LIMIT ${PAGE}`,
      [after],
    );
    for (const r of rows) {
      const profile = profileOfRow(r);
      const [scope, status, from, to, hunger] = [String(r['scope']), String(r['status']), String(r['valid_from']), String(r['valid_to']), Number(r['on_hunger_strike']) === 1];
      corners.add(scope, status, from, to, hunger, profile, String(r['recorded_from']), 1);
      if (r['recorded_to'] !== OPEN_INSTANT) corners.add(scope, status, from, to, hunger, profile, String(r['recorded_to']), -1);
    }
    if (corners.size >= FLUSH_KEYS) await corners.flush(q, postgres);
    if (rows.length < PAGE) break;
    after = Number(rows[rows.length - 1]!['id']);
  }
  await corners.flush(q, postgres);
}
