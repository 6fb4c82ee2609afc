import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import { AMNESTY_DECISION_DAYS } from '#domain';
import { amnestyPipeline } from '#projections';
import { LogPosition } from '../../projections/log-position.js';
import { READ_MODELS } from '../../projections/projections.tokens.js';
import { ReadTime } from '../../projections/read-time.js';
import { GetAmnestyPipelineQuery, type AmnestyPipelineResponse } from './get-amnesty-pipeline.query.js';

@QueryHandler(GetAmnestyPipelineQuery)
export class GetAmnestyPipelineHandler implements IQueryHandler<GetAmnestyPipelineQuery, AmnestyPipelineResponse> {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: DataSource,
    private readonly readTime: ReadTime,
    private readonly logPosition: LogPosition,
  ) {}

  async execute({ request }: GetAmnestyPipelineQuery): Promise<AmnestyPipelineResponse> {
    const time = this.readTime.query(request);
    const { position, headHash } = await this.logPosition.resolve(undefined);
    const pipeline = await amnestyPipeline(this.readModels, time);
    return { asOf: time.asOf, knownAt: time.knownAt, verification: time.scope, position, headHash, limitDays: AMNESTY_DECISION_DAYS, ...pipeline };
  }
}
