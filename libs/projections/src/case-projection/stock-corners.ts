import type { EntityManager, QueryRunner } from 'typeorm';
import { stockMeasures, upsertDeltas, type StockProfile } from './stock-deltas.js';

/**
 * Counts "as of a day, as known at a past instant" without scanning status intervals.
 *
 * A status interval stands on the rectangle [recorded_from, recorded_to) × [valid_from, valid_to)
 * of (recording instant, valid day). Its corners carry +1 at (recorded_from, valid_from) and
 * (recorded_to, valid_to) and −1 at (recorded_from, valid_to) and (recorded_to, valid_from); the
 * count of intervals standing at (knownAt, asOf) is then the sum of the corners at or before both.
 * An interval appearing at instant R adds its two corners at R, and one stopping at R the other two:
 * the projection adds them as it opens and closes rows, as it adds the one-dimensional deltas.
 *
 * The corners are kept summed per measure at four grains: (recording month or day) × (valid month or
 * day). A query sums the recording months before `knownAt`'s month and that month's days before
 * `knownAt`'s day, each against the valid months before `asOf`'s month and that month's days up to
 * `asOf`: four ranges of a few thousand rows at most, whatever the number of cases. The corners
 * recorded on `knownAt`'s own day, up to `knownAt`, are read from the intervals themselves.
 */
export const CORNER_TABLES = {
  /** Key (scope, recorded_month, valid_month, measure). */
  monthByMonth: 'stock_corners_recorded_month_valid_month',
  /** Key (scope, valid_day, recorded_month, measure): a query reads ≤ 31 valid days, then the earlier recording months. */
  monthByDay: 'stock_corners_recorded_month_valid_day',
  /** Key (scope, recorded_day, valid_month, measure). */
  dayByMonth: 'stock_corners_recorded_day_valid_month',
  /** Key (scope, recorded_day, valid_day, measure). */
  dayByDay: 'stock_corners_recorded_day_valid_day',
} as const;

/** The key columns of each corner table, in key order (the delta follows). */
export const CORNER_KEYS: Record<keyof typeof CORNER_TABLES, readonly string[]> = {
  monthByMonth: ['scope', 'recorded_month', 'valid_month', 'measure'],
  monthByDay: ['scope', 'valid_day', 'recorded_month', 'measure'],
  dayByMonth: ['scope', 'recorded_day', 'valid_month', 'measure'],
  dayByDay: ['scope', 'recorded_day', 'valid_day', 'measure'],
};

type Runner = Pick<QueryRunner, 'query' | 'connection'> | Pick<EntityManager, 'query' | 'connection'>;

/** Key order: compares rows' key columns (all but the last value, the delta). */
function byKey(a: (string | number)[], b: (string | number)[]): number {
  for (let i = 0; i < a.length - 1; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return 0;
}

/** Corner deltas gathered over a batch (or a whole rebuild), by series (scope and measure), recording day and valid day. */
export class StockCorners {
  private readonly bySeries = new Map<string, Map<string, number>>();
  private keys = 0;

  /** Distinct (scope, measure, recording day, valid day) keys held: what a flush rolls up and writes. */
  get size(): number {
    return this.keys;
  }

  /**
   * A status interval of the current knowledge appeared at `recordedAt` (`sign` 1) or stopped being
   * current then (−1): its corners at that recording instant.
   */
  add(scope: string, status: string, validFrom: string, validTo: string, onHungerStrike: boolean, profile: StockProfile, recordedAt: string, sign: 1 | -1): void {
    // An empty interval stands on no day; its corners would count −1 on the days between.
    if (!(validFrom < validTo)) return;
    const day = recordedAt.slice(0, 10);
    for (const measure of stockMeasures(status, onHungerStrike, profile)) {
      const series = `${scope}\u0000${measure}`;
      let cells = this.bySeries.get(series);
      if (cells === undefined) this.bySeries.set(series, (cells = new Map()));
      this.bump(cells, `${day}${validFrom}`, sign);
      this.bump(cells, `${day}${validTo}`, -sign);
    }
  }

  private bump(cells: Map<string, number>, cell: string, by: number): void {
    const was = cells.get(cell);
    if (was === undefined) this.keys += 1;
    cells.set(cell, (was ?? 0) + by);
  }

  /** The rows of each table, in key order: the key columns, then the delta (never 0). */
  rows(): Record<keyof typeof CORNER_TABLES, (string | number)[][]> {
    const grains = { monthByMonth: new Map<string, number>(), monthByDay: new Map<string, number>(), dayByMonth: new Map<string, number>(), dayByDay: new Map<string, number>() };
    const out: Record<keyof typeof CORNER_TABLES, (string | number)[][]> = { monthByMonth: [], monthByDay: [], dayByMonth: [], dayByDay: [] };
    for (const [series, cells] of this.bySeries) {
      const [scope, measure] = series.split('\u0000') as [string, string];
      for (const grain of Object.values(grains)) grain.clear();
      for (const [cell, delta] of cells) {
        if (delta === 0) continue;
        const recordedDay = cell.slice(0, 10);
        const validDay = cell.slice(10);
        const add = (grain: Map<string, number>, key: string) => grain.set(key, (grain.get(key) ?? 0) + delta);
        add(grains.dayByDay, `${recordedDay}\u0000${validDay}`);
        add(grains.dayByMonth, `${recordedDay}\u0000${validDay.slice(0, 7)}`);
        add(grains.monthByDay, `${validDay}\u0000${recordedDay.slice(0, 7)}`);
        add(grains.monthByMonth, `${recordedDay.slice(0, 7)}\u0000${validDay.slice(0, 7)}`);
      }
      for (const name of Object.keys(grains) as (keyof typeof CORNER_TABLES)[]) {
        for (const [key, delta] of grains[name]) {
          if (delta === 0) continue;
          const [first, second] = key.split('\u0000') as [string, string];
          out[name].push([scope, first, second, measure, delta]);
        }
      }
    }
    // Inserted in key order, each row goes after the previous one instead of to a random page.
    for (const rows of Object.values(out)) rows.sort(byKey);
    return out;
  }

  async flush(q: Runner, postgres: boolean): Promise<void> {
    const rows = this.rows();
    for (const name of Object.keys(CORNER_TABLES) as (keyof typeof CORNER_TABLES)[]) {
      await upsertDeltas(q, postgres, CORNER_TABLES[name], CORNER_KEYS[name], rows[name]);
    }
    this.bySeries.clear();
    this.keys = 0;
  }
}
