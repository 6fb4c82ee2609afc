import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { CaseEventCodec, caseStreamId } from '#application';
import { DomainError, DomainErrorCode, foldCase } from '#domain';
import { EVENT_STORE, type EventStore } from '#event-store';
import { Environment } from '#config';
import { GetCaseEventsQuery, type CaseEventsResponse } from './get-case-events.query.js';

/** The stream as stored, every metadata field included, with the corrections' effect marked. */
@QueryHandler(GetCaseEventsQuery)
export class GetCaseEventsHandler implements IQueryHandler<GetCaseEventsQuery, CaseEventsResponse> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly env: Environment,
    private readonly codec: CaseEventCodec,
  ) {}

  async execute({ caseId }: GetCaseEventsQuery): Promise<CaseEventsResponse> {
    const stored = await this.store.readStream(caseStreamId(caseId));
    if (stored.length === 0) throw new DomainError(DomainErrorCode.CaseNotFound, `case ${caseId} does not exist`, { caseId });
    const { events, personal } = await this.codec.decodeWithPersonalData(stored);
    const state = foldCase(events, { timeZone: this.env.TIME_ZONE });
    const retracted = state.kind === 'opened' ? state.retracted : new Set<string>();
    const confirmed = state.kind === 'opened' ? state.confirmed : new Set<string>();
    return {
      caseId,
      version: stored[stored.length - 1]!.version,
      events: stored.map((e, i) => ({
        ...e,
        personal: personal[i]!,
        retracted: retracted.has(e.eventId),
        confirmed: e.metadata.verification === 'confirmed' || confirmed.has(e.eventId),
      })),
    };
  }
}
