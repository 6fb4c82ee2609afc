import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import { CaseEventCodec } from '#application';
import { presentationsDue } from '#projections';
import { READ_MODELS } from '../../projections/projections.tokens.js';
import { ReadTime } from '../../projections/read-time.js';
import { LIST_DEFAULT_SCOPE } from '../shared/list-time.request.dto.js';
import { ListPresentationsDueQuery, type PresentationsDueResponse } from './list-presentations-due.query.js';

/** The reporting rule is written down on `presentationsDue` in `libs/projections/src/queries/case.queries.ts`. */
@QueryHandler(ListPresentationsDueQuery)
export class ListPresentationsDueHandler implements IQueryHandler<ListPresentationsDueQuery, PresentationsDueResponse> {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: DataSource,
    private readonly readTime: ReadTime,
    private readonly codec: CaseEventCodec,
  ) {}

  async execute({ on, knownAt, verification }: ListPresentationsDueQuery): Promise<PresentationsDueResponse> {
    const q = this.readTime.query({ asOf: on, knownAt, verification }, LIST_DEFAULT_SCOPE);
    const { due, missed } = await presentationsDue(this.readModels, q, (rows) => this.codec.readNames(rows));
    return { on: q.asOf, knownAt: q.knownAt, verification: q.scope, due, missed };
  }
}
