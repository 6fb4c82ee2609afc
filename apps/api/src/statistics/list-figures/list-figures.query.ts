import { Query } from '@nestjs/cqrs';
import type { PublishedFigureRow } from '#projections';
import type { ListFiguresRequestDto } from './list-figures.request.dto.js';

export class ListFiguresQuery extends Query<{ figures: PublishedFigureRow[]; position: number; headHash: string }> {
  constructor(readonly request: ListFiguresRequestDto) {
    super();
  }
}
