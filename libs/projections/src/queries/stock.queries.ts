import type { DataSource } from 'typeorm';
import { CASE_STATUSES, DEPRIVED_OF_LIBERTY, type CaseStatus } from '#domain';
import { StatusIntervalEntity } from '../schema/read-model.entities.js';
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

/** People by status on a day, as known at an instant: an index range scan over status intervals. */
export async function countByStatus(ds: DataSource, q: TimeQuery): Promise<StatusCounts> {
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

/** People by status, grouped (a dual national counts once under each nationality). */
export async function countByStatusGrouped(ds: DataSource, q: TimeQuery, groupBy: readonly GroupBy[]): Promise<GroupCount[]> {
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
  const out = [...groups.values()];
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

/** The breakdowns published balances use, all among people deprived of liberty on the day. */
export async function deprivedBreakdowns(ds: DataSource, q: TimeQuery): Promise<Breakdowns> {
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
