import { Query } from '@nestjs/cqrs';
import type { AmnestyRequestItem, AmnestyRequestState } from '#projections';

export interface AmnestyRequestsResponse {
  asOf: string;
  knownAt: string;
  verification: 'all' | 'confirmed';
  state: AmnestyRequestState | null;
  items: AmnestyRequestItem[];
}

export class ListAmnestyRequestsQuery extends Query<AmnestyRequestsResponse> {
  constructor(
    readonly state: AmnestyRequestState | undefined,
    readonly time: { asOf?: string; knownAt?: string; verification?: 'all' | 'confirmed' },
  ) {
    super();
  }
}
