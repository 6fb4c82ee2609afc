import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { CaseEventCodec, caseStreamId } from '#application';
import { computeRetracted, dayOf, DomainError, DomainErrorCode, foldCase, isCorrection, type RecordedCaseEvent } from '#domain';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '#event-store';
import { Environment } from '#config';
import { ReadTime } from '../../projections/read-time.js';
import { GetCaseHistoryQuery, type CaseHistoryEvent, type CaseHistoryResponse } from './get-case-history.query.js';

/**
 * A case's events as the record stood at `knownAt`, each marked with how it stood then: retracted
 * (and by which retraction), confirmed (and by which confirmation), and whether it counted on `asOf`.
 * The stream is read from the store directly, because the actor lives in the stored metadata only.
 */
@QueryHandler(GetCaseHistoryQuery)
export class GetCaseHistoryHandler implements IQueryHandler<GetCaseHistoryQuery, CaseHistoryResponse> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readTime: ReadTime,
    private readonly env: Environment,
    private readonly codec: CaseEventCodec,
  ) {}

  async execute({ caseId, asOf: asOfParam, knownAt: knownAtParam }: GetCaseHistoryQuery): Promise<CaseHistoryResponse> {
    const asOf = asOfParam ?? this.readTime.today();
    const knownAt = this.readTime.knownAt(knownAtParam);
    const stored = (await this.store.readStream(caseStreamId(caseId))).filter((e) => e.recordedAt <= knownAt);
    // The history shows no personal data: it stays sealed (no key is used).
    const events = stored.map((e) => this.codec.decode(e));
    const state = foldCase(events, { timeZone: this.env.TIME_ZONE });
    if (state.kind !== 'opened') {
      throw new DomainError(DomainErrorCode.CaseNotFound, `case ${caseId} does not exist as known at ${knownAt}`, { caseId });
    }
    const retracted = computeRetracted(events);
    const actorOf = new Map<string, string>(stored.map((e: RecordedEvent) => [e.eventId, e.metadata.actor]));

    // The standing (not itself retracted) correction that bears on each event; the earliest if several.
    const retractedBy = new Map<string, CaseHistoryEvent['retractedBy']>();
    const confirmedBy = new Map<string, CaseHistoryEvent['confirmedBy']>();
    for (const e of events) {
      if (retracted.has(e.eventId)) continue;
      const ref = { eventId: e.eventId, recordedAt: e.recordedAt, actor: actorOf.get(e.eventId)! };
      if (e.type === 'EventRetracted' && !retractedBy.has(e.data.retractedEventId)) {
        retractedBy.set(e.data.retractedEventId, { ...ref, reason: e.data.reason });
      }
      if (e.type === 'EventConfirmed' && !confirmedBy.has(e.data.confirmedEventId)) {
        confirmedBy.set(e.data.confirmedEventId, { ...ref, source: e.data.confirmingSource });
      }
    }

    const isWorldEvent = (e: RecordedCaseEvent) => e.type !== 'CaseOpened' && !isCorrection(e);
    return {
      caseId,
      asOf,
      knownAt,
      version: state.version,
      events: events.map((e) => {
        const withdrawn = retracted.has(e.eventId);
        return {
          eventId: e.eventId,
          version: e.version,
          position: e.position,
          type: e.type,
          occurredOn: e.facts.occurredOn,
          recordedAt: e.recordedAt,
          actor: actorOf.get(e.eventId)!,
          source: e.facts.source ?? null,
          verification: e.facts.verification,
          data: e.data,
          retracted: withdrawn,
          retractedBy: withdrawn ? (retractedBy.get(e.eventId) ?? null) : null,
          confirmedBy: confirmedBy.get(e.eventId) ?? null,
          countsOn: !withdrawn && (!isWorldEvent(e) || dayOf(e.facts.occurredOn, this.env.TIME_ZONE) <= asOf),
        };
      }),
    };
  }
}
