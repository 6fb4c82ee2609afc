import { Query } from '@nestjs/cqrs';
import type { PublishedFigureRow } from '#projections';

export class ListFiguresQuery extends Query<{ figures: PublishedFigureRow[] }> {
  constructor(
    readonly metric: string | undefined,
    readonly source: string | undefined,
    readonly knownAt: string,
  ) {
    super();
  }
}
