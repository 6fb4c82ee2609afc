import { Query } from '@nestjs/cqrs';
import type { Reconciliation } from '#projections';

export class ReconcileFiguresQuery extends Query<Reconciliation> {
  constructor(
    readonly since: string,
    readonly asOf: string,
    readonly knownAt: string,
  ) {
    super();
  }
}
