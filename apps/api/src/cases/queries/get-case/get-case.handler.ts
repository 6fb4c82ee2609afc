import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { CaseRepository } from '#application';
import { isErased } from '#crypto';
import { dayOfInstant, DomainError, DomainErrorCode, isValidOccurredOn, viewCase, type Clock } from '#domain';
import { Environment } from '#config';
import { CLOCK } from '../../cases.tokens.js';
import { toCaseResponse, type CaseResponse } from './case.response.js';
import { GetCaseQuery } from './get-case.query.js';

@QueryHandler(GetCaseQuery)
export class GetCaseHandler implements IQueryHandler<GetCaseQuery, CaseResponse> {
  constructor(
    private readonly repository: CaseRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly env: Environment,
  ) {}

  async execute({ caseId, asOf, knownAt, verification }: GetCaseQuery): Promise<CaseResponse> {
    const timeZone = this.env.TIME_ZONE;
    if (asOf !== undefined && !isValidOccurredOn(asOf)) {
      throw new DomainError(DomainErrorCode.InvalidDate, 'asOf must be a real calendar day', { field: 'asOf', value: asOf });
    }
    const day = asOf ?? dayOfInstant(this.clock.now(), timeZone);
    // Recorded times are stored in UTC (toISOString), so the instant is normalised the same way to compare.
    const known = knownAt === undefined ? undefined : new Date(knownAt).toISOString();
    // Decrypted personal data; a person whose data was erased reads with null fields and `personalDataErased`.
    const { events, personal } = await this.repository.eventsWithPersonalData(caseId);
    const view = viewCase(events, { asOfDay: day, knownAt: known, verification: verification ?? 'all' }, { timeZone });
    if (!view) throw new DomainError(DomainErrorCode.CaseNotFound, `case ${caseId} does not exist${known ? ` as known at ${known}` : ''}`, { caseId });
    const opened = events.findIndex((e) => e.type === 'CaseOpened');
    return toCaseResponse(view, day, known ?? null, { personalDataErased: opened >= 0 && isErased(personal[opened]) });
  }
}
