import { Query } from '@nestjs/cqrs';
import type { Breakdowns, GroupCount, StatusCounts } from '#projections';
import type { GetStatsRequestDto } from './get-stats.request.dto.js';

export interface StatsResponse {
  asOf: string;
  knownAt: string;
  verification: 'all' | 'confirmed';
  /** The log position this answer is computed from (`atPosition`, or what the read models reflected), ... */
  position: number;
  /** ...and the chain hash at that position: together they let anyone re-derive and check this answer later. */
  headHash: string;
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
