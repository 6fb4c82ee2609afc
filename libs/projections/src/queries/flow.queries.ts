import type { DataSource } from 'typeorm';
import type { IsoDay, ReleaseLegalBasis } from '#domain';
import { FlowFactEntity } from '../schema/read-model.entities.js';
import { knownAt, type TimeQuery } from './time-query.js';

export interface Flows {
  detentions: number;
  releases: { total: number; conditional: number; byLegalBasis: Partial<Record<ReleaseLegalBasis, number>> };
  reArrests: number;
  houseArrests: number;
  disappearances: number;
  whereaboutsConfirmed: number;
  transfers: number;
  deaths: number;
  conditionsLifted: number;
  presentationsMissed: number;
  amnesty: { requested: number; granted: number; denied: number; appealed: number };
}

type FlowRow = { kind: string; legalBasis: string | null; conditional: number; n: number | string };

export const emptyFlows = (): Flows => ({
  detentions: 0,
  releases: { total: 0, conditional: 0, byLegalBasis: {} },
  reArrests: 0,
  houseArrests: 0,
  disappearances: 0,
  whereaboutsConfirmed: 0,
  transfers: 0,
  deaths: 0,
  conditionsLifted: 0,
  presentationsMissed: 0,
  amnesty: { requested: 0, granted: 0, denied: 0, appealed: 0 },
});

/** Adds `other` into `into` (flows of two periods make the flows of both). */
export function addFlows(into: Flows, other: Flows): Flows {
  for (const key of ['detentions', 'reArrests', 'houseArrests', 'disappearances', 'whereaboutsConfirmed', 'transfers', 'deaths', 'conditionsLifted', 'presentationsMissed'] as const) {
    into[key] += other[key];
  }
  into.releases.total += other.releases.total;
  into.releases.conditional += other.releases.conditional;
  for (const [basis, n] of Object.entries(other.releases.byLegalBasis) as [ReleaseLegalBasis, number][]) {
    into.releases.byLegalBasis[basis] = (into.releases.byLegalBasis[basis] ?? 0) + n;
  }
  for (const key of ['requested', 'granted', 'denied', 'appealed'] as const) into.amnesty[key] += other.amnesty[key];
  return into;
}

function flowFacts(ds: DataSource, from: IsoDay, to: IsoDay, q: Pick<TimeQuery, 'knownAt' | 'scope' | 'atPosition'>) {
  return knownAt(
    ds
      .createQueryBuilder(FlowFactEntity, 'f')
      .select('f.kind', 'kind')
      .addSelect('f.legal_basis', 'legalBasis')
      .addSelect('f.conditional', 'conditional')
      .addSelect('COUNT(*)', 'n')
      .where('f.day >= :from AND f.day <= :to', { from, to }),
    'f',
    q,
  )
    .groupBy('f.kind')
    .addGroupBy('f.legal_basis')
    .addGroupBy('f.conditional');
}

/** What happened between two days (both included), as known at an instant. */
export async function flowsBetween(ds: DataSource, from: IsoDay, to: IsoDay, q: Pick<TimeQuery, 'knownAt' | 'scope' | 'atPosition'>): Promise<Flows> {
  const rows: FlowRow[] = await flowFacts(ds, from, to, q).getRawMany();
  const flows = emptyFlows();
  for (const r of rows) addRow(flows, r);
  return flows;
}

/**
 * What happened on each day between two days (both included) that saw anything, as known at an
 * instant: one grouped range scan, where a series would otherwise ask {@link flowsBetween} per point.
 */
export async function flowsByDay(ds: DataSource, from: IsoDay, to: IsoDay, q: Pick<TimeQuery, 'knownAt' | 'scope' | 'atPosition'>): Promise<Map<IsoDay, Flows>> {
  const rows: (FlowRow & { day: IsoDay })[] = await flowFacts(ds, from, to, q).addSelect('f.day', 'day').addGroupBy('f.day').getRawMany();
  const byDay = new Map<IsoDay, Flows>();
  for (const r of rows) {
    let flows = byDay.get(r.day);
    if (!flows) byDay.set(r.day, (flows = emptyFlows()));
    addRow(flows, r);
  }
  return byDay;
}

function addRow(flows: Flows, r: FlowRow): void {
  const n = Number(r.n);
  switch (r.kind) {
    case 'detention': flows.detentions += n; break;
    case 'release': {
      flows.releases.total += n;
      if (Number(r.conditional) === 1) flows.releases.conditional += n;
      const basis = (r.legalBasis ?? 'other') as ReleaseLegalBasis;
      flows.releases.byLegalBasis[basis] = (flows.releases.byLegalBasis[basis] ?? 0) + n;
      break;
    }
    case 're_arrest': flows.reArrests += n; break;
    case 'house_arrest': flows.houseArrests += n; break;
    case 'disappearance': flows.disappearances += n; break;
    case 'whereabouts_confirmed': flows.whereaboutsConfirmed += n; break;
    case 'transfer': flows.transfers += n; break;
    case 'death': flows.deaths += n; break;
    case 'conditions_lifted': flows.conditionsLifted += n; break;
    case 'presentation_missed': flows.presentationsMissed += n; break;
    case 'amnesty_requested': flows.amnesty.requested += n; break;
    case 'amnesty_granted': flows.amnesty.granted += n; break;
    case 'amnesty_denied': flows.amnesty.denied += n; break;
    case 'amnesty_appealed': flows.amnesty.appealed += n; break;
  }
}
