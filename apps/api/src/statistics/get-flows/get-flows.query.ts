import { Query } from '@nestjs/cqrs';
import type { Flows } from '#projections';
import type { GetFlowsRequestDto } from './get-flows.request.dto.js';

export interface FlowsResponse {
  from: string;
  to: string;
  knownAt: string;
  verification: 'all' | 'confirmed';
  position: number;
  flows: Flows;
}

export class GetFlowsQuery extends Query<FlowsResponse> {
  constructor(readonly request: GetFlowsRequestDto) {
    super();
  }
}
