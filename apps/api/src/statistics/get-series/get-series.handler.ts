import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import { addDays, DomainError, DomainErrorCode, type IsoDay } from '#domain';
import { addFlows, countByStatus, deprivedOfLiberty, emptyFlows, flowsByDay } from '#projections';
import { LogPosition } from '../../projections/log-position.js';
import { READ_MODELS } from '../../projections/projections.tokens.js';
import { ReadTime } from '../../projections/read-time.js';
import type { SeriesStep } from './get-series.request.dto.js';
import { GetSeriesQuery, type SeriesPoint, type SeriesResponse } from './get-series.query.js';

/** A series longer than this is a client asking for a table, not a chart. */
export const MAX_POINTS = 400;

/** The points of a series: `from`, then every step, and `to` itself if it falls between steps. */
export function seriesDays(from: IsoDay, to: IsoDay, step: SeriesStep): IsoDay[] {
  const days: IsoDay[] = [];
  for (let i = 0, day = from; day <= to; i++) {
    days.push(day);
    if (step === 'day') day = addDays(from, i + 1);
    else if (step === 'week') day = addDays(from, 7 * (i + 1));
    else {
      const [y, m, d] = from.split('-').map(Number) as [number, number, number];
      const next = new Date(Date.UTC(y, m - 1 + i + 1, 1));
      const last = new Date(Date.UTC(next.getUTCFullYear(), next.getUTCMonth() + 1, 0)).getUTCDate();
      day = new Date(Date.UTC(next.getUTCFullYear(), next.getUTCMonth(), Math.min(d, last))).toISOString().slice(0, 10);
    }
    if (days.length > MAX_POINTS) break;
  }
  if (days[days.length - 1] !== to && days.length <= MAX_POINTS) days.push(to);
  return days;
}

@QueryHandler(GetSeriesQuery)
export class GetSeriesHandler implements IQueryHandler<GetSeriesQuery, SeriesResponse> {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: DataSource,
    private readonly logPosition: LogPosition,
    private readonly readTime: ReadTime,
  ) {}

  async execute({ request: { from, to, step, ...q } }: GetSeriesQuery): Promise<SeriesResponse> {
    const { knownAt, scope } = this.readTime.query(q);
    if (from > to) throw new DomainError(DomainErrorCode.InvalidDate, 'from must not be after to', { field: 'from' });
    const days = seriesDays(from, to, step);
    if (days.length > MAX_POINTS) {
      throw new DomainError(DomainErrorCode.InvalidDate, `the series would have more than ${MAX_POINTS} points; use a larger step`, { field: 'step' });
    }
    const { position, headHash } = await this.logPosition.resolve();
    // One scan for the flows of every day; each point sums the days since the previous point.
    const flowsOn = await flowsByDay(this.readModels, from, to, { knownAt, scope });
    const daysWithFlows = [...flowsOn.keys()].sort();
    const points: SeriesPoint[] = [];
    let previous: IsoDay | null = null;
    let next = 0; // the first day with flows not yet given to a point (points and days both ascend)
    for (const day of days) {
      const counts = await countByStatus(this.readModels, { asOf: day, knownAt, scope });
      const since = previous === null ? day : addDays(previous, 1);
      const flows = emptyFlows();
      while (next < daysWithFlows.length && daysWithFlows[next]! < since) next++;
      for (; next < daysWithFlows.length && daysWithFlows[next]! <= day; next++) addFlows(flows, flowsOn.get(daysWithFlows[next]!)!);
      points.push({ day, counts, deprivedOfLiberty: deprivedOfLiberty(counts), flows });
      previous = day;
    }
    return { from, to, step, knownAt, verification: scope, position, headHash, points };
  }
}
