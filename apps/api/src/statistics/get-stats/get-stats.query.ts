import { Query } from '@nestjs/cqrs';
import type { Breakdowns, GroupCount, StatusCounts } from '#projections';
import type { GetStatsRequestDto } from './get-stats.request.dto.js';

export interface StatsResponse {
  asOf: string;
  knownAt: string;
  verification: 'all' | 'confirmed';
  /** The log position the read models reflected when this was computed. */
  position: number;
  counts: StatusCounts;
  deprivedOfLiberty: number;
  breakdowns: Breakdowns;
  groups?: GroupCount[];
}

export class GetStatsQuery extends Query<StatsResponse> {
  constructor(readonly request: GetStatsRequestDto) {
    super();
  }
}
