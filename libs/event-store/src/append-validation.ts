import { EventStoreError, STREAM_ID_PATTERN, type AppendOptions, type JsonObject, type NewEvent, type NewEventMetadata } from './event-store.port.js';

/**
 * The rules every adapter applies before it touches storage: stream ids, append options, event
 * envelopes, read positions and batch sizes. One copy, so that the adapters cannot drift apart.
 */
export const DEFAULT_BATCH_SIZE = 1000;
export const MAX_STREAM_ID_LENGTH = 200;

export function assertStreamId(streamId: unknown): asserts streamId is string {
  if (typeof streamId !== 'string' || streamId.length > MAX_STREAM_ID_LENGTH || !STREAM_ID_PATTERN.test(streamId)) {
    throw new EventStoreError(
      'INVALID_STREAM_ID',
      `invalid stream id ${JSON.stringify(streamId)}: expected <category>-<id> (letters, digits, '-', '_', '.'; at most ${MAX_STREAM_ID_LENGTH} characters)`,
      { streamId },
    );
  }
}

export function invalidAppend(message: string, details: Record<string, unknown> = {}): EventStoreError {
  return new EventStoreError('INVALID_APPEND', message, details);
}

export function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/** What an adapter adds to the common rules: a message when an event breaks one of its own, else null. */
export type ExtraEventRule = (event: NewEvent) => string | null;

export function validateAppend(events: NewEvent[], options: AppendOptions, extraRule?: ExtraEventRule): void {
  if (!isPlainObject(options as unknown)) throw invalidAppend('append options are required');
  const { expectedVersion, commandId } = options;
  if (!Number.isSafeInteger(expectedVersion) || expectedVersion < 0) {
    throw invalidAppend(`expectedVersion must be a non-negative integer, got ${String(expectedVersion)}`, {
      expectedVersion,
    });
  }
  if (!isNonEmptyString(commandId)) throw invalidAppend('commandId must be a non-empty string');
  if (!Array.isArray(events) || events.length === 0) throw invalidAppend('an append needs at least one event');

  const seen = new Set<string>();
  for (let i = 0; i < events.length; i++) {
    const event = events[i] as NewEvent | undefined;
    if (!isPlainObject(event)) throw invalidAppend(`event #${i} is not an object`);
    if (!isNonEmptyString(event.eventId)) throw invalidAppend(`event #${i} has no eventId`);
    const broken = extraRule?.(event);
    if (broken) throw invalidAppend(broken, { eventId: event.eventId });
    if (seen.has(event.eventId)) {
      throw invalidAppend(`eventId ${event.eventId} appears twice in the batch`, { eventId: event.eventId });
    }
    seen.add(event.eventId);
    if (!isNonEmptyString(event.type)) throw invalidAppend(`event ${event.eventId} has no type`);
    if (!Number.isSafeInteger(event.schemaVersion) || event.schemaVersion < 1) {
      throw invalidAppend(`event ${event.eventId} has an invalid schemaVersion ${String(event.schemaVersion)}`, {
        eventId: event.eventId,
        schemaVersion: event.schemaVersion,
      });
    }
    if (!isPlainObject(event.data)) throw invalidAppend(`event ${event.eventId}: data must be a JSON object`);
    if (event.personal !== null && !isPlainObject(event.personal)) {
      throw invalidAppend(`event ${event.eventId}: personal must be a JSON object or null`);
    }
    const metadata = event.metadata as NewEventMetadata | undefined;
    if (!isPlainObject(metadata)) throw invalidAppend(`event ${event.eventId} has no metadata`);
    if (metadata.commandId !== commandId) {
      throw invalidAppend(
        `event ${event.eventId}: metadata.commandId ${String(metadata.commandId)} differs from the append's commandId ${commandId}`,
        { eventId: event.eventId, commandId, metadataCommandId: metadata.commandId },
      );
    }
  }
}

export function positiveOr(value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`expected a positive number, got ${value}`);
  return value;
}

export function checkPosition(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer position, got ${String(value)}`);
  }
  return value;
}

export function checkBatchSize(value: number | undefined): number {
  if (value === undefined) return DEFAULT_BATCH_SIZE;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`batchSize must be a positive integer, got ${String(value)}`);
  }
  return value;
}
