import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import { DomainError, DomainErrorCode } from '#domain';
import { reconcileReleases, type Reconciliation } from '#projections';
import { READ_MODELS } from '../../projections/projections.tokens.js';
import { ReadTime } from '../../projections/read-time.js';
import { ReconcileFiguresQuery } from './reconcile-figures.query.js';

@QueryHandler(ReconcileFiguresQuery)
export class ReconcileFiguresHandler implements IQueryHandler<ReconcileFiguresQuery, Reconciliation> {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: DataSource,
    private readonly readTime: ReadTime,
  ) {}

  execute({ request }: ReconcileFiguresQuery): Promise<Reconciliation> {
    const { asOf, knownAt } = this.readTime.query(request);
    const since = request.since;
    if (since > asOf) throw new DomainError(DomainErrorCode.InvalidDate, 'since must not be after asOf', { field: 'since' });
    return reconcileReleases(this.readModels, since, asOf, knownAt);
  }
}
