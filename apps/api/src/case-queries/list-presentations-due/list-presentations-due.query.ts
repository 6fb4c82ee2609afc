import { Query } from '@nestjs/cqrs';
import type { PresentationItem } from '#projections';

export interface PresentationsDueResponse {
  on: string;
  knownAt: string;
  verification: 'all' | 'confirmed';
  /** Due to present themselves exactly on `on`. */
  due: PresentationItem[];
  /** Whose first due day after their last attended presentation (or release) is already past. */
  missed: PresentationItem[];
}

export class ListPresentationsDueQuery extends Query<PresentationsDueResponse> {
  constructor(
    readonly on: string | undefined,
    readonly knownAt: string | undefined,
    readonly verification: 'all' | 'confirmed' | undefined,
  ) {
    super();
  }
}
