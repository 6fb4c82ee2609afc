import type { DataSource } from 'typeorm';
import type { IsoDay } from '#domain';
import { PublishedFigureEntity, type PublishedFigureRow } from '../schema/read-model.entities.js';
import { flowsBetween } from '../queries/flow.queries.js';

export async function listFigures(ds: DataSource, filter: { metric?: string; source?: string; knownAt: string }): Promise<PublishedFigureRow[]> {
  const qb = ds.getRepository(PublishedFigureEntity).createQueryBuilder('f').where('f.recorded_at <= :knownAt', { knownAt: filter.knownAt });
  if (filter.metric) qb.andWhere('f.metric = :metric', { metric: filter.metric });
  if (filter.source) qb.andWhere('(f.source_name = :source OR f.source_kind = :source)', { source: filter.source });
  return qb.orderBy('f.as_of', 'ASC').addOrderBy('f.position', 'ASC').getMany();
}

export interface ReconciledFigure {
  figureId: string;
  source: { kind: string; name: string };
  value: number;
  since: IsoDay | null;
  asOf: IsoDay;
  reference: string | null;
  /** Named cases here with a confirmed release in the figure's own window. */
  confirmedNamedCases: number;
  /** Published minus confirmed: releases the source claims that no named case here confirms. */
  gap: number;
}

export interface Reconciliation {
  metric: 'releases';
  since: IsoDay;
  asOf: IsoDay;
  knownAt: string;
  /** Named cases here with a confirmed release between `since` and `asOf`. */
  confirmedNamedCases: number;
  figures: ReconciledFigure[];
}

/**
 * Every release figure published for a day between `since` and `asOf`, each beside the named,
 * confirmed releases recorded here for the same window (the figure's own `since`, else the query's).
 */
export async function reconcileReleases(ds: DataSource, since: IsoDay, asOf: IsoDay, knownAt: string): Promise<Reconciliation> {
  const confirmedBetween = async (from: IsoDay, to: IsoDay) => (await flowsBetween(ds, from, to, { knownAt, scope: 'confirmed' })).releases.total;
  const figures = (await listFigures(ds, { metric: 'releases', knownAt })).filter((f) => f.asOf >= since && f.asOf <= asOf);
  const reconciled: ReconciledFigure[] = [];
  for (const f of figures) {
    const confirmed = await confirmedBetween(f.since ?? since, f.asOf);
    reconciled.push({
      figureId: f.figureId,
      source: { kind: f.sourceKind, name: f.sourceName },
      value: f.value,
      since: f.since,
      asOf: f.asOf,
      reference: f.reference,
      confirmedNamedCases: confirmed,
      gap: f.value - confirmed,
    });
  }
  return { metric: 'releases', since, asOf, knownAt, confirmedNamedCases: await confirmedBetween(since, asOf), figures: reconciled };
}
