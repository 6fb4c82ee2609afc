import { Query } from '@nestjs/cqrs';
import type { RevolvingDoor } from '#projections';

export interface RevolvingDoorResponse extends RevolvingDoor {
  from: string;
  to: string;
  knownAt: string;
  verification: 'all' | 'confirmed';
}

export class GetRevolvingDoorQuery extends Query<RevolvingDoorResponse> {
  constructor(
    readonly from: string,
    readonly to: string,
    readonly knownAt: string | undefined,
    readonly verification: 'all' | 'confirmed' | undefined,
  ) {
    super();
  }
}
