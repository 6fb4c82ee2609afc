import { Query } from '@nestjs/cqrs';
import type { PublishedFigureRow } from '#projections';
import type { ListFiguresRequestDto } from './list-figures.request.dto.js';

export class ListFiguresQuery extends Query<{ figures: PublishedFigureRow[] }> {
  constructor(readonly request: ListFiguresRequestDto) {
    super();
  }
}
