import { Query } from '@nestjs/cqrs';
import type { Breakdowns, GroupBy, GroupCount, StatusCounts, TimeQuery } from '#projections';

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
  constructor(
    readonly time: TimeQuery,
    readonly groupBy: GroupBy[],
  ) {
    super();
  }
}
