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

/** Day ids and series ids take 21 and 11 bits of a rolled-up key: within 2^53. */
const DAY_IDS = 2 ** 21;

/**
 * Corner deltas gathered over a batch (or a whole rebuild), by series (scope and measure), recording
 * day and valid day. Cells are held in maps keyed by small integers (series and recording day, then
 * valid day), not by joined strings: a rebuild bumps several cells per status row, and hashing fresh
 * strings was most of the cost; small-integer keys also take the least memory per cell.
 */
export class StockCorners {
  /** (series × DAY_IDS + recording day id) → valid day id → delta. */
  private readonly cells = new Map<number, Map<number, number>>();
  private cellCount = 0;
  private readonly dayIds = new Map<string, number>();
  private readonly days: string[] = [];
  private readonly seriesIds = new Map<string, Map<string, number>>();
  private readonly series: [scope: string, measure: string][] = [];

  /** Distinct (scope, measure, recording day, valid day) cells held: what a flush rolls up and writes. */
  get size(): number {
    return this.cellCount;
  }

  /**
   * A status interval of the current knowledge appeared at `recordedAt` (`sign` 1) or stopped being
   * current then (−1): its corners at that recording instant.
   */
  add(scope: string, status: string, validFrom: string, validTo: string, onHungerStrike: boolean, profile: StockProfile, recordedAt: string, sign: 1 | -1): void {
    // An empty interval stands on no day; its corners would count −1 on the days between.
    if (!(validFrom < validTo)) return;
    const recordedDay = this.dayId(recordedAt.slice(0, 10));
    const [from, to] = [this.dayId(validFrom), this.dayId(validTo)];
    for (const measure of stockMeasures(status, onHungerStrike, profile)) {
      const row = this.seriesId(scope, measure) * DAY_IDS + recordedDay;
      let byValidDay = this.cells.get(row);
      if (byValidDay === undefined) this.cells.set(row, (byValidDay = new Map()));
      this.bump(byValidDay, from, sign);
      this.bump(byValidDay, to, -sign);
    }
  }

  private bump(byValidDay: Map<number, number>, validDay: number, by: number): void {
    const was = byValidDay.get(validDay);
    if (was === undefined) this.cellCount += 1;
    byValidDay.set(validDay, (was ?? 0) + by);
  }

  private dayId(day: string): number {
    let id = this.dayIds.get(day);
    if (id === undefined) {
      id = this.days.push(day) - 1;
      if (id >= DAY_IDS) throw new Error('StockCorners: too many distinct days in one batch');
      this.dayIds.set(day, id);
    }
    return id;
  }

  private seriesId(scope: string, measure: string): number {
    let ofScope = this.seriesIds.get(scope);
    if (ofScope === undefined) this.seriesIds.set(scope, (ofScope = new Map()));
    let id = ofScope.get(measure);
    if (id === undefined) {
      id = this.series.push([scope, measure]) - 1;
      ofScope.set(measure, id);
    }
    return id;
  }

  /**
   * The rows of one table, in key order: the key columns, then the delta (never 0). Rolled up under
   * number keys (series, first period, second period), months interned as days are.
   */
  rows(grain: keyof typeof CORNER_TABLES): (string | number)[][] {
    const monthOf: number[] = [];
    const month = (day: number) => (monthOf[day] ??= this.dayId(this.days[day]!.slice(0, 7)));
    const sums = new Map<number, number>();
    for (const [row, byValidDay] of this.cells) {
      const series = Math.floor(row / DAY_IDS);
      const recordedDay = row % DAY_IDS;
      for (const [validDay, delta] of byValidDay) {
        if (delta === 0) continue;
        const [first, second] =
          grain === 'dayByDay'
            ? [recordedDay, validDay]
            : grain === 'dayByMonth'
              ? [recordedDay, month(validDay)]
              : grain === 'monthByDay'
                ? [validDay, month(recordedDay)]
                : [month(recordedDay), month(validDay)];
        const key = (series * DAY_IDS + first) * DAY_IDS + second;
        sums.set(key, (sums.get(key) ?? 0) + delta);
      }
    }
    const rows: (string | number)[][] = [];
    for (const [key, delta] of sums) {
      if (delta === 0) continue;
      const [scope, measure] = this.series[Math.floor(key / (DAY_IDS * DAY_IDS))]!;
      rows.push([scope, this.days[Math.floor(key / DAY_IDS) % DAY_IDS]!, this.days[key % DAY_IDS]!, measure, delta]);
    }
    // Inserted in key order, each row goes after the previous one instead of to a random page.
    return rows.sort(byKey);
  }

  /** Adds the gathered deltas to the tables, one table at a time (so that only one table's rows are held), and forgets them. */
  async flush(q: Runner, postgres: boolean): Promise<void> {
    for (const grain of Object.keys(CORNER_TABLES) as (keyof typeof CORNER_TABLES)[]) {
      await upsertDeltas(q, postgres, CORNER_TABLES[grain], CORNER_KEYS[grain], this.rows(grain));
    }
    this.cells.clear();
    this.cellCount = 0;
    this.dayIds.clear();
    this.days.length = 0;
  }
}
