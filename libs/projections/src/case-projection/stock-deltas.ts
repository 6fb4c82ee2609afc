import type { EntityManager, QueryRunner } from 'typeorm';
import { DEPRIVED_OF_LIBERTY } from '#domain';
import { execute, placeholderTuples } from './raw-rows.js';

/**
 * Counts "as of a day, as known now" without scanning status intervals: for every status interval
 * of the current knowledge (its `recorded_to` still open) the projection adds +1 on `valid_from`
 * and −1 on `valid_to` to each measure the interval counts towards, per scope and day, and keeps
 * the same sums per month. A count as of day D is then the sum of the months before D's month and
 * of D's month's days up to D: at most a few hundred rows, whatever the number of cases.
 *
 * `stock_knowledge.recorded_up_to` is the latest recording instant the projection has applied.
 * A query whose `knownAt` is at or after it sees exactly the open rows, so it may use the sums.
 */
export const STOCK_TABLES = ['stock_deltas_by_day', 'stock_deltas_by_month', 'stock_knowledge', 'stock_group_deltas_by_day', 'stock_group_deltas_by_month'] as const;
export const STOCK_KNOWLEDGE_NAME = 'case-history';

/** What a profile contributes to the breakdowns (from `CaseOpened`, which never changes). */
export interface StockProfile {
  foreignNational: boolean;
  gender: string;
  affiliation: string;
  minor: boolean;
}

export const profileOf = (opened: { nationalities: readonly string[]; gender: string; affiliation: string; minor: boolean }): StockProfile => ({
  foreignNational: opened.nationalities.some((n) => n !== 'VE'),
  gender: opened.gender,
  affiliation: opened.affiliation,
  minor: opened.minor,
});

/** The profile as a `case_profiles` row read back from SQL holds it (flags as 0/1, on SQLite and PostgreSQL alike). */
export const profileOfRow = (r: Record<string, unknown>): StockProfile => ({
  foreignNational: Number(r['foreign_national']) === 1,
  gender: String(r['gender']),
  affiliation: String(r['affiliation']),
  minor: Number(r['minor']) === 1,
});

const DEPRIVED = new Set<string>(DEPRIVED_OF_LIBERTY);

/**
 * The measures one status interval counts towards, each with weight 1: `status:<status>`, and for
 * people deprived of liberty the `deprived:<breakdown>` that `deprivedBreakdowns` sums.
 */
export function stockMeasures(status: string, onHungerStrike: boolean, profile: StockProfile): string[] {
  const m = [`status:${status}`];
  if (!DEPRIVED.has(status)) return m;
  if (profile.foreignNational) m.push('deprived:foreignNationals');
  if (status === 'disappeared') m.push('deprived:whereaboutsUnknown');
  if (profile.gender === 'female') m.push('deprived:women');
  if (profile.gender === 'male') m.push('deprived:men');
  if (profile.affiliation === 'civilian') m.push('deprived:civilians');
  if (profile.affiliation === 'military') m.push('deprived:military');
  m.push(profile.minor ? 'deprived:minors' : 'deprived:adults');
  if (onHungerStrike) m.push('deprived:onHungerStrike');
  return m;
}

type Runner = Pick<QueryRunner, 'query' | 'connection'> | Pick<EntityManager, 'query' | 'connection'>;

/** Orders delta rows (series columns…, period, delta) as the tables' keys do: (…, period, measure). */
function inKeyOrder(a: (string | number)[], b: (string | number)[]): number {
  const last = a.length - 3;
  for (let i = 0; i < last; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  for (const i of [last + 1, last]) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return 0;
}

/**
 * Deltas by series (the key columns before the day, joined by NUL) and by day. Nested, so that a
 * bump joins no day into a key: a rebuild bumps every open interval's series twice.
 */
class SeriesDeltas {
  private readonly bySeries = new Map<string, Map<string, number>>();
  private days = 0;

  /** Distinct (series, day) keys held: what a flush would write. */
  get size(): number {
    return this.days;
  }

  /** +`sign` from `from`, −`sign` from `to`. */
  bump(series: string, from: string, to: string, sign: number): void {
    let days = this.bySeries.get(series);
    if (days === undefined) this.bySeries.set(series, (days = new Map()));
    this.add(days, from, sign);
    this.add(days, to, -sign);
  }

  private add(days: Map<string, number>, day: string, by: number): void {
    const was = days.get(day);
    if (was === undefined) this.days += 1;
    days.set(day, (was ?? 0) + by);
  }

  /** The rows to add, per day and per month: the series' columns, the period, the delta (never 0). */
  rows(): { days: (string | number)[][]; months: (string | number)[][] } {
    const days: (string | number)[][] = [];
    const months: (string | number)[][] = [];
    for (const [series, byDay] of this.bySeries) {
      const columns = series.split('\u0000');
      const byMonth = new Map<string, number>();
      for (const [day, delta] of byDay) {
        if (delta === 0) continue;
        days.push([...columns, day, delta]);
        const month = day.slice(0, 7);
        byMonth.set(month, (byMonth.get(month) ?? 0) + delta);
      }
      for (const [month, delta] of byMonth) if (delta !== 0) months.push([...columns, month, delta]);
    }
    // In primary-key order (the series' columns but its last, the period, the last): inserted in
    // that order, each row goes after the previous one instead of to a random page of the key.
    return { days: days.sort(inKeyOrder), months: months.sort(inKeyOrder) };
  }

  clear(): void {
    this.bySeries.clear();
    this.days = 0;
  }
}

/** Deltas gathered over a batch (or a whole rebuild), written with one upsert per table and chunk. */
export class StockDeltas {
  private readonly deltas = new SeriesDeltas();
  private recordedUpTo = '';

  /** An interval of the current knowledge appeared (`sign` 1) or stopped being current (−1). */
  add(scope: string, status: string, validFrom: string, validTo: string, onHungerStrike: boolean, profile: StockProfile, sign: 1 | -1): void {
    // An empty interval counts on no day; its +1 and −1 would not cancel out for days between.
    if (!(validFrom < validTo)) return;
    for (const measure of stockMeasures(status, onHungerStrike, profile)) this.deltas.bump(`${scope}\u0000${measure}`, validFrom, validTo, sign);
  }

  /** Distinct (scope, measure, day) keys gathered: what a flush would write. */
  get size(): number {
    return this.deltas.size;
  }

  /** The recording instant of an applied event. */
  recorded(at: string): void {
    if (at > this.recordedUpTo) this.recordedUpTo = at;
  }

  async flush(q: Runner, postgres: boolean): Promise<void> {
    const { days, months } = this.deltas.rows();
    await upsertDeltas(q, postgres, 'stock_deltas_by_day', ['scope', 'measure', 'on_day'], days);
    await upsertDeltas(q, postgres, 'stock_deltas_by_month', ['scope', 'measure', 'in_month'], months);
    if (this.recordedUpTo !== '') {
      await q.query(
        `INSERT INTO stock_knowledge (name, recorded_up_to) VALUES (${ph(postgres, 1)}, ${ph(postgres, 2)})
         ON CONFLICT (name) DO UPDATE SET recorded_up_to = CASE WHEN excluded.recorded_up_to > stock_knowledge.recorded_up_to
           THEN excluded.recorded_up_to ELSE stock_knowledge.recorded_up_to END`,
        [STOCK_KNOWLEDGE_NAME, this.recordedUpTo],
      );
    }
    this.deltas.clear();
    this.recordedUpTo = '';
  }
}

/** The dimensions whose per-status counts are kept per group (the ones the dashboard asks for). */
export const GROUP_DIMENSIONS = ['nationality', 'facility'] as const;
export type GroupDimension = (typeof GROUP_DIMENSIONS)[number];

/**
 * A grouped measure: the status, then `:` and the group's value, or the status alone for a null
 * value (a status never holds `:`, a facility name may). Facility names are too long for the
 * measures of `stock_deltas_by_*`, and these rows would slow down its sums, hence sibling tables.
 */
export const groupMeasure = (status: string, value: string | null): string => (value === null ? status : `${status}:${value}`);
export function parseGroupMeasure(measure: string): { status: string; value: string | null } {
  const colon = measure.indexOf(':');
  return colon < 0 ? { status: measure, value: null } : { status: measure.slice(0, colon), value: measure.slice(colon + 1) };
}

/**
 * Per-status counts by nationality (from the profile: a dual national counts under each) and by
 * facility (from the interval: it changes within a case's history), kept as `StockDeltas` keeps the
 * ungrouped ones, in `stock_group_deltas_by_day` / `_by_month` keyed (scope, dimension, period, measure).
 */
export class StockGroupDeltas {
  private readonly deltas = new SeriesDeltas();

  get size(): number {
    return this.deltas.size;
  }

  add(scope: string, status: string, validFrom: string, validTo: string, facility: string | null, nationalities: readonly string[], sign: 1 | -1): void {
    if (!(validFrom < validTo)) return;
    this.deltas.bump(`${scope}\u0000facility\u0000${groupMeasure(status, facility)}`, validFrom, validTo, sign);
    for (const n of new Set(nationalities)) this.deltas.bump(`${scope}\u0000nationality\u0000${groupMeasure(status, n)}`, validFrom, validTo, sign);
  }

  async flush(q: Runner, postgres: boolean): Promise<void> {
    const { days, months } = this.deltas.rows();
    await upsertDeltas(q, postgres, 'stock_group_deltas_by_day', ['scope', 'dimension', 'measure', 'on_day'], days);
    await upsertDeltas(q, postgres, 'stock_group_deltas_by_month', ['scope', 'dimension', 'measure', 'in_month'], months);
    this.deltas.clear();
  }
}

const ph = (postgres: boolean, i: number) => (postgres ? `$${i}` : '?');

const UPSERT_CHUNK = 100;
/** Adds each row's delta (its last value) to the row of the same key (the other values, in `keys` order). */
export async function upsertDeltas(q: Runner, postgres: boolean, table: string, keys: readonly string[], rows: (string | number)[][]): Promise<void> {
  for (let i = 0; i < rows.length; i += UPSERT_CHUNK) {
    const chunk = rows.slice(i, i + UPSERT_CHUNK);
    await execute(q, upsertSql(table, keys, chunk.length, postgres), chunk.flat());
  }
}

const upsertSqlCache = new Map<string, string>();
/**
 * The upsert of `rowCount` rows into `table`, built once per shape: a rebuild upserts millions of
 * corner rows in chunks of the same size, and building the placeholders each time took 5% of it.
 */
function upsertSql(table: string, keys: readonly string[], rowCount: number, postgres: boolean): string {
  const cacheKey = `${table}(${keys.join(',')})${rowCount}${postgres ? '$' : '?'}`;
  let sql = upsertSqlCache.get(cacheKey);
  if (sql === undefined) {
    sql = `INSERT INTO ${table} (${keys.join(', ')}, delta) VALUES ${placeholderTuples(rowCount, keys.length + 1, postgres)}
       ON CONFLICT (${keys.join(', ')}) DO UPDATE SET delta = ${table}.delta + excluded.delta`;
    upsertSqlCache.set(cacheKey, sql);
  }
  return sql;
}
