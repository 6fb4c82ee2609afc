import { Query } from '@nestjs/cqrs';
import type { Reconciliation } from '#projections';
import type { ReconcileFiguresRequestDto } from './reconcile-figures.request.dto.js';

export interface ReconciliationResponse extends Reconciliation {
  /** The log position and chain hash the answer is computed from. */
  position: number;
  headHash: string;
}

export class ReconcileFiguresQuery extends Query<ReconciliationResponse> {
  constructor(readonly request: ReconcileFiguresRequestDto) {
    super();
  }
}
