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

/** What happened between two days (both included), as known at an instant. */
export async function flowsBetween(ds: DataSource, from: IsoDay, to: IsoDay, q: Pick<TimeQuery, 'knownAt' | 'scope' | 'atPosition'>): Promise<Flows> {
  const rows: { kind: string; legalBasis: string | null; conditional: number; n: number | string }[] = await knownAt(
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
    .addGroupBy('f.conditional')
    .getRawMany();
  const flows: Flows = {
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
  };
  for (const r of rows) {
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
  return flows;
}
