import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { StockGroupDeltas } from '../case-projection/stock-deltas.js';
import { OPEN_INSTANT } from './read-model.entities.js';

/**
 * Per-status count deltas by nationality and by facility of the current knowledge (see
 * `StockGroupDeltas`), filled from the status intervals already projected, so that existing read
 * models need no rebuild.
 */
export class StockGroupDeltas1733200000000 implements MigrationInterface {
  name = 'StockGroupDeltas1733200000000';

  async up(q: QueryRunner): Promise<void> {
    for (const [table, period, length] of [
      ['stock_group_deltas_by_day', 'on_day', '10'],
      ['stock_group_deltas_by_month', 'in_month', '7'],
    ] as const) {
      // A grouped count reads one range of (scope, dimension, period); the measure holds a facility name (up to 200).
      await q.createTable(
        new Table({
          name: table,
          withoutRowid: true,
          columns: [
            { name: 'scope', type: 'varchar', length: '10', isPrimary: true },
            { name: 'dimension', type: 'varchar', length: '20', isPrimary: true },
            { name: period, type: 'varchar', length, isPrimary: true },
            { name: 'measure', type: 'varchar', length: '240', isPrimary: true },
            { name: 'delta', type: 'integer' },
          ],
        }),
      );
    }
    await backfillStockGroupDeltas(q);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['stock_group_deltas_by_month', 'stock_group_deltas_by_day']) await q.dropTable(t);
  }
}

const PAGE = 20_000;

/** Adds the grouped deltas of every open status interval (into empty tables: the migration, or a check of the projection). */
export async function backfillStockGroupDeltas(q: QueryRunner): Promise<void> {
  const postgres = q.connection.options.type === 'postgres';
  const p = (i: number) => (postgres ? `$${i}` : '?');
  const nationalities = new Map<string, string[]>();
  const nationalityRows: { case_id: string; nationality: string }[] = await q.query('SELECT case_id, nationality FROM case_nationalities');
  for (const r of nationalityRows) {
    const list = nationalities.get(r.case_id);
    if (list) list.push(r.nationality);
    else nationalities.set(r.case_id, [r.nationality]);
  }
  const deltas = new StockGroupDeltas();
  let after = 0;
  for (;;) {
    // Joined with the profiles as the grouped interval query is: only opened cases count.
    const rows: Record<string, string | number | null>[] = await q.query(
      `SELECT si.id, si.case_id, si.scope, si.status, si.valid_from, si.valid_to, si.facility
         FROM status_intervals si JOIN case_profiles p ON p.case_id = si.case_id
        WHERE si.recorded_to = ${p(1)} AND si.id > ${p(2)} ORDER BY si.id LIMIT ${PAGE}`,
      [OPEN_INSTANT, after],
    );
    for (const r of rows) {
      const facility = r['facility'] === null ? null : String(r['facility']);
      deltas.add(String(r['scope']), String(r['status']), String(r['valid_from']), String(r['valid_to']), facility, nationalities.get(String(r['case_id'])) ?? [], 1);
    }
    if (rows.length < PAGE) break;
    after = Number(rows[rows.length - 1]!['id']);
  }
  await deltas.flush(q, postgres);
}
