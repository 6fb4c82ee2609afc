import { Query } from '@nestjs/cqrs';
import type { Flows } from '#projections';

export interface FlowsResponse {
  from: string;
  to: string;
  knownAt: string;
  verification: 'all' | 'confirmed';
  position: number;
  flows: Flows;
}

export class GetFlowsQuery extends Query<FlowsResponse> {
  constructor(
    readonly from: string,
    readonly to: string,
    readonly knownAt: string,
    readonly scope: 'all' | 'confirmed',
  ) {
    super();
  }
}
