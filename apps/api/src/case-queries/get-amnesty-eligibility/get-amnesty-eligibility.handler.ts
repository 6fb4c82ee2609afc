import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import { CaseEventCodec } from '#application';
import { amnestyEligibility } from '#projections';
import { READ_MODELS } from '../../projections/projections.tokens.js';
import { ReadTime } from '../../projections/read-time.js';
import { LIST_DEFAULT_SCOPE } from '../shared/list-time.request.dto.js';
import { GetAmnestyEligibilityQuery, type AmnestyEligibilityResponse } from './get-amnesty-eligibility.query.js';

@QueryHandler(GetAmnestyEligibilityQuery)
export class GetAmnestyEligibilityHandler implements IQueryHandler<GetAmnestyEligibilityQuery, AmnestyEligibilityResponse> {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: DataSource,
    private readonly readTime: ReadTime,
    private readonly codec: CaseEventCodec,
  ) {}

  async execute({ time }: GetAmnestyEligibilityQuery): Promise<AmnestyEligibilityResponse> {
    const q = this.readTime.query(time, LIST_DEFAULT_SCOPE);
    const items = await amnestyEligibility(this.readModels, q, (rows) => this.codec.readNames(rows));
    return { asOf: q.asOf, knownAt: q.knownAt, verification: q.scope, items };
  }
}
