import { Query } from '@nestjs/cqrs';
import type { AmnestyEligibilityItem } from '#projections';

export interface AmnestyEligibilityResponse {
  asOf: string;
  knownAt: string;
  verification: 'all' | 'confirmed';
  items: AmnestyEligibilityItem[];
}

export class GetAmnestyEligibilityQuery extends Query<AmnestyEligibilityResponse> {
  constructor(readonly time: { asOf?: string; knownAt?: string; verification?: 'all' | 'confirmed' }) {
    super();
  }
}
