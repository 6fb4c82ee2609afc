import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import { CaseEventCodec } from '#application';
import { listAmnestyRequests } from '#projections';
import { READ_MODELS } from '../../projections/projections.tokens.js';
import { ReadTime } from '../../projections/read-time.js';
import { LIST_DEFAULT_SCOPE } from '../shared/list-time.request.dto.js';
import { ListAmnestyRequestsQuery, type AmnestyRequestsResponse } from './list-amnesty-requests.query.js';

@QueryHandler(ListAmnestyRequestsQuery)
export class ListAmnestyRequestsHandler implements IQueryHandler<ListAmnestyRequestsQuery, AmnestyRequestsResponse> {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: DataSource,
    private readonly readTime: ReadTime,
    private readonly codec: CaseEventCodec,
  ) {}

  async execute({ state, time }: ListAmnestyRequestsQuery): Promise<AmnestyRequestsResponse> {
    const q = this.readTime.query(time, LIST_DEFAULT_SCOPE);
    const items = await listAmnestyRequests(this.readModels, q, state, (rows) => this.codec.readNames(rows));
    return { asOf: q.asOf, knownAt: q.knownAt, verification: q.scope, state: state ?? null, items };
  }
}
