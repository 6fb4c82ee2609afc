import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import { DomainError, DomainErrorCode } from '#domain';
import { flowsBetween } from '#projections';
import { LogPosition } from '../../projections/log-position.js';
import { READ_MODELS } from '../../projections/projections.tokens.js';
import { ReadTime } from '../../projections/read-time.js';
import { GetFlowsQuery, type FlowsResponse } from './get-flows.query.js';

@QueryHandler(GetFlowsQuery)
export class GetFlowsHandler implements IQueryHandler<GetFlowsQuery, FlowsResponse> {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: DataSource,
    private readonly logPosition: LogPosition,
    private readonly readTime: ReadTime,
  ) {}

  async execute({ request: { from, to, ...q } }: GetFlowsQuery): Promise<FlowsResponse> {
    const { knownAt, scope } = this.readTime.query(q);
    if (from > to) throw new DomainError(DomainErrorCode.InvalidDate, 'from must not be after to', { field: 'from' });
    const { position, headHash } = await this.logPosition.resolve();
    return { from, to, knownAt, verification: scope, position, headHash, flows: await flowsBetween(this.readModels, from, to, { knownAt, scope }) };
  }
}
