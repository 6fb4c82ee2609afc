import { Query } from '@nestjs/cqrs';
import type { Flows } from '#projections';
import type { GetFlowsRequestDto } from './get-flows.request.dto.js';

export interface FlowsResponse {
  from: string;
  to: string;
  knownAt: string;
  verification: 'all' | 'confirmed';
  /** The log position and chain hash the answer is computed from. */
  position: number;
  headHash: string;
  flows: Flows;
}

export class GetFlowsQuery extends Query<FlowsResponse> {
  constructor(readonly request: GetFlowsRequestDto) {
    super();
  }
}
