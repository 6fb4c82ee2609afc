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
  /** The log position and chain hash the answer is computed from. */
  position: number;
  headHash: string;
  points: SeriesPoint[];
}

export class GetSeriesQuery extends Query<SeriesResponse> {
  constructor(readonly request: GetSeriesRequestDto) {
    super();
  }
}
