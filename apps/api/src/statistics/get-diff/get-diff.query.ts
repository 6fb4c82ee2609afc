import { Query } from '@nestjs/cqrs';
import type { StatusCounts } from '#projections';
import type { GetDiffRequestDto } from './get-diff.request.dto.js';

export interface DiffResponse {
  asOf: string;
  verification: 'all' | 'confirmed';
  from: { position: number; headHash: string; counts: StatusCounts };
  to: { position: number; headHash: string; counts: StatusCounts };
  /** Each event that moved someone between counts for that day, in log order. */
  changes: {
    position: number;
    eventId: string;
    type: string;
    caseId: string;
    recordedAt: string;
    actor: string;
    before: string | null;
    after: string | null;
  }[];
}

export class GetDiffQuery extends Query<DiffResponse> {
  constructor(readonly request: GetDiffRequestDto) {
    super();
  }
}
