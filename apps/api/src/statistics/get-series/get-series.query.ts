import { Query } from '@nestjs/cqrs';
import type { Flows, StatusCounts } from '#projections';
import type { GetSeriesRequestDto, SeriesStep } from './get-series.request.dto.js';

export interface SeriesPoint {
  /** The stock is counted at the end of this day; flows cover the days since the previous point. */
  day: string;
  counts: StatusCounts;
  deprivedOfLiberty: number;
  flows: Flows;
}

export interface SeriesResponse {
  from: string;
  to: string;
  step: SeriesStep;
  knownAt: string;
  verification: 'all' | 'confirmed';
  position: number;
  points: SeriesPoint[];
}

export class GetSeriesQuery extends Query<SeriesResponse> {
  constructor(readonly request: GetSeriesRequestDto) {
    super();
  }
}
