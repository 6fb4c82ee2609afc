import { Query } from '@nestjs/cqrs';
import type { CaseResponse } from './case.response.js';

export class GetCaseQuery extends Query<CaseResponse> {
  constructor(
    readonly caseId: string,
    readonly asOf: string | undefined,
    readonly knownAt: string | undefined,
    readonly verification: 'all' | 'confirmed' | undefined,
  ) {
    super();
  }
}
