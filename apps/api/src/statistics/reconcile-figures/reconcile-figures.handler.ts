import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import { DomainError, DomainErrorCode } from '#domain';
import { reconcileReleases } from '#projections';
import { READ_MODELS } from '../../projections/projections.tokens.js';
import { ReadTime } from '../../projections/read-time.js';
import { LogPosition } from '../../projections/log-position.js';
import { ReconcileFiguresQuery, type ReconciliationResponse } from './reconcile-figures.query.js';

@QueryHandler(ReconcileFiguresQuery)
export class ReconcileFiguresHandler implements IQueryHandler<ReconcileFiguresQuery, ReconciliationResponse> {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: DataSource,
    private readonly readTime: ReadTime,
    private readonly logPosition: LogPosition,
  ) {}

  async execute({ request }: ReconcileFiguresQuery): Promise<ReconciliationResponse> {
    const { asOf, knownAt } = this.readTime.query(request);
    const since = request.since;
    if (since > asOf) throw new DomainError(DomainErrorCode.InvalidDate, 'since must not be after asOf', { field: 'since' });
    const { position, headHash } = await this.logPosition.resolve();
    return { ...(await reconcileReleases(this.readModels, since, asOf, knownAt)), position, headHash };
  }
}
