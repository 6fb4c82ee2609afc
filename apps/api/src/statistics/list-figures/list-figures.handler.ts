import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import { listFigures, type PublishedFigureRow } from '#projections';
import { READ_MODELS } from '../../projections/projections.tokens.js';
import { ReadTime } from '../../projections/read-time.js';
import { LogPosition } from '../../projections/log-position.js';
import { ListFiguresQuery } from './list-figures.query.js';

@QueryHandler(ListFiguresQuery)
export class ListFiguresHandler implements IQueryHandler<ListFiguresQuery, { figures: PublishedFigureRow[]; position: number; headHash: string }> {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: DataSource,
    private readonly readTime: ReadTime,
    private readonly logPosition: LogPosition,
  ) {}

  async execute({ request: { metric, source, knownAt } }: ListFiguresQuery) {
    const { position, headHash } = await this.logPosition.resolve();
    return { figures: await listFigures(this.readModels, { metric, source, knownAt: this.readTime.knownAt(knownAt) }), position, headHash };
  }
}
