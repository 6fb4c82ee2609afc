import type { DataSource } from 'typeorm';
import { CASE_STATUSES, DEPRIVED_OF_LIBERTY, type CaseStatus } from '#domain';
import { CORNER_TABLES } from '../case-projection/stock-corners.js';
import { GROUP_DIMENSIONS, parseGroupMeasure, profileOfRow, STOCK_KNOWLEDGE_NAME, stockMeasures, type GroupDimension } from '../case-projection/stock-deltas.js';
import { OPEN_INSTANT, StatusIntervalEntity } from '../schema/read-model.entities.js';
import { recordedDaySql } from '../schema/secondary-indexes.js';
import { standingAt, type TimeQuery } from './time-query.js';

export const GROUP_BY = ['nationality', 'facility', 'gender', 'military', 'minor', 'sentenced'] as const;
export type GroupBy = (typeof GROUP_BY)[number];

export type StatusCounts = Record<CaseStatus, number>;
export const emptyCounts = (): StatusCounts => Object.fromEntries(CASE_STATUSES.map((s) => [s, 0])) as StatusCounts;
export const deprivedOfLiberty = (c: StatusCounts): number => DEPRIVED_OF_LIBERTY.reduce((n, s) => n + c[s], 0);

const GROUP_COLUMN: Record<GroupBy, string> = {
  nationality: 'n.nationality',
  facility: 'si.facility',
  gender: 'p.gender',
  military: "CASE WHEN p.affiliation = 'military' THEN 1 ELSE 0 END",
  minor: 'p.minor',
  sentenced: 'si.sentenced',
};

const IS_DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Sums of the per-day deltas (`stock-deltas.ts`) as of `q.asOf`, by measure, or null when they
 * cannot answer `q`: a record at a log position, or a `knownAt` before something the projection
 * applied (only the current knowledge has deltas). One statement, so that the knowledge marker and
 * the sums come from the same snapshot.
 */
export async function stockKnownNow(ds: DataSource, q: TimeQuery): Promise<Map<string, number> | null> {
  return sumsKnownNow(ds, q, 'stock_deltas', null);
}

/** The grouped sums (`StockGroupDeltas`) of one dimension, by measure, as `stockKnownNow` gives the ungrouped ones. */
export async function stockGroupsKnownNow(ds: DataSource, q: TimeQuery, dimension: GroupDimension): Promise<Map<string, number> | null> {
  return sumsKnownNow(ds, q, 'stock_group_deltas', dimension);
}

/** Values bound in order, with the placeholder each driver expects (`$n` on PostgreSQL, `?` on SQLite). */
function boundParams(postgres: boolean): { params: string[]; bind: (value: string) => string } {
  const params: string[] = [];
  return {
    params,
    bind: (value) => {
      params.push(value);
      return postgres ? `$${params.length}` : '?';
    },
  };
}

async function sumsKnownNow(ds: DataSource, q: TimeQuery, tables: 'stock_deltas' | 'stock_group_deltas', dimension: GroupDimension | null): Promise<Map<string, number> | null> {
  if (q.atPosition !== undefined || !IS_DAY.test(q.asOf)) return null;
  const { params, bind } = boundParams(ds.options.type === 'postgres');
  const month = q.asOf.slice(0, 7);
  // The comparisons run in SQL, in the same collation as the interval query they stand in for.
  const known = `CASE WHEN k.recorded_up_to <= ${bind(q.knownAt)} AND ${bind(q.knownAt)} < ${bind(OPEN_INSTANT)} THEN 1 ELSE 0 END`;
  const ofDimension = () => (dimension === null ? '' : ` AND dimension = ${bind(dimension)}`);
  const sql = `SELECT ${known} AS known, s.measure AS measure, s.n AS n
       FROM stock_knowledge k
       LEFT JOIN (
         SELECT measure, SUM(delta) AS n FROM (
           SELECT measure, delta FROM ${tables}_by_month WHERE scope = ${bind(q.scope)}${ofDimension()} AND in_month < ${bind(month)}
           UNION ALL
           SELECT measure, delta FROM ${tables}_by_day WHERE scope = ${bind(q.scope)}${ofDimension()} AND on_day >= ${bind(`${month}-01`)} AND on_day <= ${bind(q.asOf)}
         ) x GROUP BY measure
       ) s ON 1 = 1
      WHERE k.name = ${bind(STOCK_KNOWLEDGE_NAME)}`;
  const rows: { known: number | string; measure: string | null; n: number | string | null }[] = await ds.query(sql, params);
  if (rows.length === 0 || Number(rows[0]!.known) !== 1) return null;
  const sums = new Map<string, number>();
  for (const r of rows) if (r.measure !== null) sums.set(r.measure, Number(r.n));
  return sums;
}

/** An instant as the store writes it (and as the API normalises `knownAt`): its first 10 characters are its day. */
const IS_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/**
 * Sums by measure as of `q.asOf` as known at `q.knownAt`, from the corner deltas (`stock-corners.ts`)
 * and the intervals recorded on `knownAt`'s own day; null for a record at a log position. Any
 * `knownAt` works; `stockKnownNow` reads fewer rows for the current knowledge.
 */
export async function stockKnownThen(ds: DataSource, q: TimeQuery): Promise<Map<string, number> | null> {
  if (q.atPosition !== undefined || !IS_DAY.test(q.asOf) || !IS_INSTANT.test(q.knownAt) || q.knownAt >= OPEN_INSTANT) return null;
  const postgres = ds.options.type === 'postgres';
  const { params, bind } = boundParams(postgres);
  const [knownMonth, knownDay, asOfMonth] = [q.knownAt.slice(0, 7), q.knownAt.slice(0, 10), q.asOf.slice(0, 7)];
  const scope = () => `scope = ${bind(q.scope)}`;
  // Recorded in the months before knownAt's, or on the days of its month before its day; true in the
  // months before asOf's, or on the days of its month up to asOf.
  const sumsSql = `SELECT measure, SUM(delta) AS n FROM (
      SELECT measure, delta FROM ${CORNER_TABLES.monthByMonth}
       WHERE ${scope()} AND recorded_month < ${bind(knownMonth)} AND valid_month < ${bind(asOfMonth)}
      UNION ALL
      SELECT measure, delta FROM ${CORNER_TABLES.monthByDay}
       WHERE ${scope()} AND valid_day >= ${bind(`${asOfMonth}-01`)} AND valid_day <= ${bind(q.asOf)} AND recorded_month < ${bind(knownMonth)}
      UNION ALL
      SELECT measure, delta FROM ${CORNER_TABLES.dayByMonth}
       WHERE ${scope()} AND recorded_day >= ${bind(`${knownMonth}-01`)} AND recorded_day < ${bind(knownDay)} AND valid_month < ${bind(asOfMonth)}
      UNION ALL
      SELECT measure, delta FROM ${CORNER_TABLES.dayByDay}
       WHERE ${scope()} AND recorded_day >= ${bind(`${knownMonth}-01`)} AND recorded_day < ${bind(knownDay)} AND valid_day >= ${bind(`${asOfMonth}-01`)} AND valid_day <= ${bind(q.asOf)}
    ) x GROUP BY measure`;
  const sums = new Map<string, number>();
  for (const r of (await ds.query(sumsSql, params)) as { measure: string; n: number | string }[]) sums.set(r.measure, Number(r.n));

  const dayRows = knownThenDayRows(q, postgres);
  for (const r of (await ds.query(dayRows.sql, dayRows.params)) as Record<string, string | number>[]) {
    const profile = profileOfRow(r);
    const sign = Number(r['sign']);
    // valid_from <= asOf by the query; valid_to's corner counts only when it is at or before asOf too.
    const delta = String(r['valid_to']) <= q.asOf ? 0 : sign;
    if (delta === 0) continue;
    for (const measure of stockMeasures(String(r['status']), Number(r['on_hunger_strike']) === 1, profile)) sums.set(measure, (sums.get(measure) ?? 0) + delta);
  }
  return sums;
}

/**
 * The status intervals recorded (sign 1) or closed (−1) on `knownAt`'s own day, up to `knownAt`, that
 * start by `asOf`, with what their measures need: the corners the corner tables do not hold yet.
 */
export function knownThenDayRows(q: TimeQuery, postgres: boolean): { sql: string; params: string[] } {
  const { params, bind } = boundParams(postgres);
  const knownDay = q.knownAt.slice(0, 10);
  const standing = () => `si.scope = ${bind(q.scope)} AND si.valid_from <= ${bind(q.asOf)} AND si.valid_from < si.valid_to`;
  const columns = `si.status, si.valid_from, si.valid_to, si.on_hunger_strike, p.foreign_national, p.gender, p.affiliation, p.minor`;
  // Opened that day: by the recording-day index (the same expression as the index's).
  const sql = `SELECT 1 AS sign, ${columns} FROM status_intervals si JOIN case_profiles p ON p.case_id = si.case_id
       WHERE ${standing()} AND ${recordedDaySql('si.recorded_from')} = ${bind(knownDay)} AND si.recorded_from <= ${bind(q.knownAt)}
      UNION ALL
      SELECT -1 AS sign, ${columns} FROM status_intervals si JOIN case_profiles p ON p.case_id = si.case_id
       WHERE ${standing()} AND si.recorded_to >= ${bind(knownDay)} AND si.recorded_to <= ${bind(q.knownAt)}`;
  return { sql, params };
}

/** The sums for `q`: from the per-day deltas when known now, else from the corners; null when neither answers. */
async function stockSums(ds: DataSource, q: TimeQuery): Promise<Map<string, number> | null> {
  return (await stockKnownNow(ds, q)) ?? stockKnownThen(ds, q);
}

/** People by status on a day, as known at an instant: from the deltas, or from the intervals for a record at a log position. */
export async function countByStatus(ds: DataSource, q: TimeQuery): Promise<StatusCounts> {
  const sums = await stockSums(ds, q);
  return sums === null ? countByStatusFromIntervals(ds, q) : statusCountsOf(sums);
}

/** The per-status counts among sums by measure. */
export function statusCountsOf(sums: ReadonlyMap<string, number>): StatusCounts {
  const counts = emptyCounts();
  for (const [measure, n] of sums) {
    // Like the interval query, which yields only statuses that have rows.
    if (measure.startsWith('status:') && n !== 0) counts[measure.slice('status:'.length) as CaseStatus] = n;
  }
  return counts;
}

/** People by status on a day, as known at an instant: an index range scan over status intervals. */
export async function countByStatusFromIntervals(ds: DataSource, q: TimeQuery): Promise<StatusCounts> {
  const rows: { status: CaseStatus; n: number | string }[] = await standingAt(
    ds.createQueryBuilder(StatusIntervalEntity, 'si').select('si.status', 'status').addSelect('COUNT(*)', 'n'),
    'si',
    q,
  )
    .groupBy('si.status')
    .getRawMany();
  const counts = emptyCounts();
  for (const r of rows) counts[r.status] = Number(r.n);
  return counts;
}

export interface GroupCount {
  group: Record<string, string | number | boolean | null>;
  counts: StatusCounts;
  deprivedOfLiberty: number;
}

/**
 * People by status, grouped (a dual national counts once under each nationality): by nationality or
 * by facility alone from the grouped deltas when known now, else from the intervals.
 */
export async function countByStatusGrouped(ds: DataSource, q: TimeQuery, groupBy: readonly GroupBy[]): Promise<GroupCount[]> {
  const only = groupBy.length === 1 ? groupBy[0]! : null;
  if (only !== null && (GROUP_DIMENSIONS as readonly string[]).includes(only)) {
    const sums = await stockGroupsKnownNow(ds, q, only as GroupDimension);
    if (sums !== null) {
      const groups = new Map<string | null, GroupCount>();
      for (const [measure, n] of sums) {
        // Like the interval query, which yields only the groups and statuses that have rows.
        if (n === 0) continue;
        const { status, value } = parseGroupMeasure(measure);
        const entry = groups.get(value) ?? { group: { [only]: value }, counts: emptyCounts(), deprivedOfLiberty: 0 };
        entry.counts[status as CaseStatus] += n;
        groups.set(value, entry);
      }
      return sortGroups([...groups.values()]);
    }
  }
  return countByStatusGroupedFromIntervals(ds, q, groupBy);
}

/** People by status, grouped: the status intervals joined with the profiles (and nationalities). */
export async function countByStatusGroupedFromIntervals(ds: DataSource, q: TimeQuery, groupBy: readonly GroupBy[]): Promise<GroupCount[]> {
  let qb = ds.createQueryBuilder(StatusIntervalEntity, 'si').innerJoin('case_profiles', 'p', 'p.case_id = si.case_id');
  if (groupBy.includes('nationality')) qb = qb.innerJoin('case_nationalities', 'n', 'n.case_id = si.case_id');
  qb = qb.select('si.status', 'status').addSelect('COUNT(*)', 'n');
  groupBy.forEach((g, i) => {
    qb = qb.addSelect(GROUP_COLUMN[g], `g${i}`).addGroupBy(GROUP_COLUMN[g]);
  });
  const rows: Record<string, string | number | null>[] = await standingAt(qb, 'si', q).addGroupBy('si.status').getRawMany();
  const groups = new Map<string, GroupCount>();
  for (const r of rows) {
    const group: GroupCount['group'] = {};
    groupBy.forEach((g, i) => {
      const v = r[`g${i}`] ?? null;
      group[g] = g === 'military' || g === 'minor' || g === 'sentenced' ? Number(v) === 1 : v;
    });
    const key = JSON.stringify(group);
    const entry = groups.get(key) ?? { group, counts: emptyCounts(), deprivedOfLiberty: 0 };
    entry.counts[r['status'] as CaseStatus] += Number(r['n']);
    groups.set(key, entry);
  }
  return sortGroups([...groups.values()]);
}

function sortGroups(out: GroupCount[]): GroupCount[] {
  for (const g of out) g.deprivedOfLiberty = deprivedOfLiberty(g.counts);
  return out.sort((a, b) => b.deprivedOfLiberty - a.deprivedOfLiberty || JSON.stringify(a.group).localeCompare(JSON.stringify(b.group)));
}

export interface Breakdowns {
  foreignNationals: number;
  whereaboutsUnknown: number;
  women: number;
  men: number;
  civilians: number;
  military: number;
  adults: number;
  minors: number;
  onHungerStrike: number;
}

const BREAKDOWNS: readonly (keyof Breakdowns)[] = ['foreignNationals', 'whereaboutsUnknown', 'women', 'men', 'civilians', 'military', 'adults', 'minors', 'onHungerStrike'];

/** The breakdowns published balances use, all among people deprived of liberty on the day (from the deltas, or from the intervals at a log position). */
export async function deprivedBreakdowns(ds: DataSource, q: TimeQuery): Promise<Breakdowns> {
  const sums = await stockSums(ds, q);
  if (sums === null) return deprivedBreakdownsFromIntervals(ds, q);
  return Object.fromEntries(BREAKDOWNS.map((k) => [k, sums.get(`deprived:${k}`) ?? 0])) as unknown as Breakdowns;
}

/** The breakdowns, from the status intervals joined with the profiles. */
export async function deprivedBreakdownsFromIntervals(ds: DataSource, q: TimeQuery): Promise<Breakdowns> {
  const row: Record<string, string | number | null> | undefined = await standingAt(
    ds
      .createQueryBuilder(StatusIntervalEntity, 'si')
      .innerJoin('case_profiles', 'p', 'p.case_id = si.case_id')
      .select('SUM(p.foreign_national)', 'foreignNationals')
      .addSelect("SUM(CASE WHEN si.status = 'disappeared' THEN 1 ELSE 0 END)", 'whereaboutsUnknown')
      .addSelect("SUM(CASE WHEN p.gender = 'female' THEN 1 ELSE 0 END)", 'women')
      .addSelect("SUM(CASE WHEN p.gender = 'male' THEN 1 ELSE 0 END)", 'men')
      .addSelect("SUM(CASE WHEN p.affiliation = 'civilian' THEN 1 ELSE 0 END)", 'civilians')
      .addSelect("SUM(CASE WHEN p.affiliation = 'military' THEN 1 ELSE 0 END)", 'military')
      .addSelect('SUM(1 - p.minor)', 'adults')
      .addSelect('SUM(p.minor)', 'minors')
      .addSelect('SUM(si.on_hunger_strike)', 'onHungerStrike')
      .where('si.status IN (:...deprived)', { deprived: [...DEPRIVED_OF_LIBERTY] }),
    'si',
    q,
  ).getRawOne();
  const n = (k: string) => Number(row?.[k] ?? 0);
  return {
    foreignNationals: n('foreignNationals'),
    whereaboutsUnknown: n('whereaboutsUnknown'),
    women: n('women'),
    men: n('men'),
    civilians: n('civilians'),
    military: n('military'),
    adults: n('adults'),
    minors: n('minors'),
    onHungerStrike: n('onHungerStrike'),
  };
}
