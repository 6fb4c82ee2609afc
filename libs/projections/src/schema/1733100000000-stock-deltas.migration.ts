import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { profileOfRow, StockDeltas } from '../case-projection/stock-deltas.js';
import { OPEN_INSTANT } from './read-model.entities.js';

/**
 * Per-day and per-month count deltas of the current knowledge (see `stock-deltas.ts`), filled from
 * the status intervals already projected, so that existing read models need no rebuild.
 */
export class StockDeltas1733100000000 implements MigrationInterface {
  name = 'StockDeltas1733100000000';

  async up(q: QueryRunner): Promise<void> {
    for (const [table, period, length] of [
      ['stock_deltas_by_day', 'on_day', '10'],
      ['stock_deltas_by_month', 'in_month', '7'],
    ] as const) {
      // The key leads with (scope, period): a count reads one range of it, and the rows hold the delta (SQLite: no rowid lookup).
      await q.createTable(
        new Table({
          name: table,
          withoutRowid: true,
          columns: [
            { name: 'scope', type: 'varchar', length: '10', isPrimary: true },
            { name: period, type: 'varchar', length, isPrimary: true },
            { name: 'measure', type: 'varchar', length: '40', isPrimary: true },
            { name: 'delta', type: 'integer' },
          ],
        }),
      );
    }
    await q.createTable(
      new Table({
        name: 'stock_knowledge',
        columns: [
          { name: 'name', type: 'varchar', length: '100', isPrimary: true },
          { name: 'recorded_up_to', type: 'varchar', length: '30' },
        ],
      }),
    );
    await backfillStockDeltas(q);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['stock_knowledge', 'stock_deltas_by_month', 'stock_deltas_by_day']) await q.dropTable(t);
  }
}

const PAGE = 20_000;

/** Adds the deltas of every open status interval (into empty tables: the migration, or a check of the projection). */
export async function backfillStockDeltas(q: QueryRunner): Promise<void> {
  const postgres = q.connection.options.type === 'postgres';
  const p = (i: number) => (postgres ? `$${i}` : '?');
  const deltas = new StockDeltas();
  let after = 0;
  for (;;) {
    const rows: Record<string, string | number | null>[] = await q.query(
      `SELECT si.id, si.scope, si.status, si.valid_from, si.valid_to, si.on_hunger_strike, p.foreign_national, p.gender, p.affiliation, p.minor
         FROM status_intervals si JOIN case_profiles p ON p.case_id = si.case_id
        WHERE si.recorded_to = ${p(1)} AND si.id > ${p(2)} ORDER BY si.id LIMIT ${PAGE}`,
      [OPEN_INSTANT, after],
    );
    for (const r of rows) {
      const profile = profileOfRow(r);
      deltas.add(String(r['scope']), String(r['status']), String(r['valid_from']), String(r['valid_to']), Number(r['on_hunger_strike']) === 1, profile, 1);
    }
    if (rows.length < PAGE) break;
    after = Number(rows[rows.length - 1]!['id']);
  }
  // The latest instant any status row was opened or closed at: a later `knownAt` sees exactly the open rows.
  const [latest] = (await q.query(
    `SELECT MAX(t) AS t FROM (SELECT MAX(recorded_from) AS t FROM status_intervals
       UNION ALL SELECT MAX(recorded_to) AS t FROM status_intervals WHERE recorded_to <> ${p(1)}) x`,
    [OPEN_INSTANT],
  )) as { t: string | null }[];
  if (latest?.t) deltas.recorded(latest.t);
  await deltas.flush(q, postgres);
}
