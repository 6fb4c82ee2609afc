import { upcast, type CaseEvent, type RecordedCaseEvent } from '#domain';
import type { JsonObject, NewEvent, RecordedEvent } from '#event-store';
import { CASE_EVENT_SCHEMA_VERSIONS } from '#domain';

/** Who asked, and in reply to what: written into every event's metadata. */
export interface CommandMetadata {
  actor: string;
  commandId: string;
  correlationId: string;
  causationId: string | null;
}

export const CASE_STREAM_PREFIX = 'case-';
export const caseStreamId = (caseId: string): string => `${CASE_STREAM_PREFIX}${caseId}`;
export const caseIdOf = (streamId: string): string | null =>
  streamId.startsWith(CASE_STREAM_PREFIX) ? streamId.slice(CASE_STREAM_PREFIX.length) : null;

/** A domain event becomes a stored envelope: type string and schema version, never a class name. */
export function encodeCaseEvent(event: CaseEvent, eventId: string, meta: CommandMetadata): NewEvent {
  return {
    eventId,
    type: event.type,
    schemaVersion: CASE_EVENT_SCHEMA_VERSIONS[event.type],
    data: event.data as unknown as JsonObject,
    personal: (event.personal ?? null) as unknown as JsonObject | null,
    metadata: {
      occurredOn: event.facts.occurredOn,
      datePrecision: event.facts.datePrecision,
      source: (event.facts.source ?? null) as unknown as JsonObject | null,
      verification: event.facts.verification,
      actor: meta.actor,
      commandId: meta.commandId,
      correlationId: meta.correlationId,
      causationId: meta.causationId,
    },
  };
}

/** A stored envelope becomes a domain event, upcast to the current schema on the way. */
export function decodeCaseEvent(stored: RecordedEvent): RecordedCaseEvent {
  const current = upcast({
    type: stored.type,
    schemaVersion: stored.schemaVersion,
    data: stored.data as Record<string, unknown>,
    personal: stored.personal as Record<string, unknown> | null,
  });
  const m = stored.metadata;
  return {
    type: current.type,
    data: current.data,
    personal: current.personal,
    facts: {
      occurredOn: m.occurredOn,
      datePrecision: m.datePrecision,
      source: (m.source as unknown as CaseEvent['facts']['source']) ?? null,
      verification: m.verification,
    },
    eventId: stored.eventId,
    version: stored.version,
    position: stored.position,
    recordedAt: stored.recordedAt,
  } as RecordedCaseEvent;
}
