import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import { countByStatus, countByStatusGrouped, deprivedBreakdowns, deprivedOfLiberty } from '#projections';
import { LogPosition } from '../../projections/log-position.js';
import { READ_MODELS } from '../../projections/projections.tokens.js';
import { ReadTime } from '../../projections/read-time.js';
import { GetStatsQuery, type StatsResponse } from './get-stats.query.js';

@QueryHandler(GetStatsQuery)
export class GetStatsHandler implements IQueryHandler<GetStatsQuery, StatsResponse> {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: DataSource,
    private readonly readTime: ReadTime,
    private readonly logPosition: LogPosition,
  ) {}

  async execute({ request }: GetStatsQuery): Promise<StatsResponse> {
    const time = this.readTime.query(request);
    const groupBy = request.groupBy ?? [];
    const { position, headHash } = await this.logPosition.resolve(request.atPosition);
    const counts = await countByStatus(this.readModels, time);
    return {
      asOf: time.asOf,
      knownAt: time.knownAt,
      verification: time.scope,
      position,
      headHash,
      counts,
      deprivedOfLiberty: deprivedOfLiberty(counts),
      breakdowns: await deprivedBreakdowns(this.readModels, time),
      ...(groupBy.length > 0 ? { groups: await countByStatusGrouped(this.readModels, time, groupBy) } : {}),
    };
  }
}
