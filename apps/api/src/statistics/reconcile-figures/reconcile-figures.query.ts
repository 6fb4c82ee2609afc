import { Query } from '@nestjs/cqrs';
import type { Reconciliation } from '#projections';
import type { ReconcileFiguresRequestDto } from './reconcile-figures.request.dto.js';

export class ReconcileFiguresQuery extends Query<Reconciliation> {
  constructor(readonly request: ReconcileFiguresRequestDto) {
    super();
  }
}
