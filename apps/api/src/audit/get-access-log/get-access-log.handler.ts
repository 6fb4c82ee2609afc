import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import { accessLog, type AccessLogRow, type Page } from '#projections';
import { READ_MODELS } from '../../projections/projections.tokens.js';
import { GetAccessLogQuery } from './get-access-log.query.js';

@QueryHandler(GetAccessLogQuery)
export class GetAccessLogHandler implements IQueryHandler<GetAccessLogQuery, Page<AccessLogRow>> {
  constructor(@Inject(READ_MODELS) private readonly readModels: DataSource) {}

  execute({ request: r }: GetAccessLogQuery): Promise<Page<AccessLogRow>> {
    return accessLog(this.readModels, { caseId: r.caseId, actor: r.actor, page: r.page ?? 1, pageSize: r.pageSize ?? 100 });
  }
}
