import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import { CaseEventCodec } from '#application';
import { expandStatusFilter, listCases } from '#projections';
import { READ_MODELS } from '../../projections/projections.tokens.js';
import { ReadTime } from '../../projections/read-time.js';
import { LIST_DEFAULT_SCOPE } from '../shared/list-time.request.dto.js';
import { DEFAULT_PAGE_SIZE } from './list-cases.request.dto.js';
import { ListCasesQuery, type CaseListResponse } from './list-cases.query.js';

const bool = (v: 'true' | 'false' | undefined): boolean | undefined => (v === undefined ? undefined : v === 'true');

@QueryHandler(ListCasesQuery)
export class ListCasesHandler implements IQueryHandler<ListCasesQuery, CaseListResponse> {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: DataSource,
    private readonly readTime: ReadTime,
    private readonly codec: CaseEventCodec,
  ) {}

  async execute({ request: r }: ListCasesQuery): Promise<CaseListResponse> {
    const time = this.readTime.query(r, LIST_DEFAULT_SCOPE);
    const page = r.page ?? 1;
    const pageSize = r.pageSize ?? DEFAULT_PAGE_SIZE;
    const search = r.q?.trim();
    const { total, items } = await listCases(
      this.readModels,
      time,
      {
        statuses: r.status === undefined ? undefined : expandStatusFilter(r.status),
        nationality: r.nationality?.toUpperCase(),
        facility: r.facility,
        gender: r.gender,
        military: bool(r.military),
        minor: bool(r.minor),
        search: search === '' ? undefined : search,
      },
      { page, pageSize },
      (rows) => this.codec.readNames(rows),
    );
    return { asOf: time.asOf, knownAt: time.knownAt, verification: time.scope, page, pageSize, total, items };
  }
}
