import { Query } from '@nestjs/cqrs';
import type { CaseListItem } from '#projections';
import type { ListCasesRequestDto } from './list-cases.request.dto.js';

export interface CaseListResponse {
  asOf: string;
  knownAt: string;
  verification: 'all' | 'confirmed';
  page: number;
  pageSize: number;
  total: number;
  items: CaseListItem[];
}

export class ListCasesQuery extends Query<CaseListResponse> {
  constructor(readonly request: ListCasesRequestDto) {
    super();
  }
}
