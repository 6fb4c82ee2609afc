import { CASE_EVENT_SCHEMA_VERSIONS, isCaseEventType } from './events.js';

/**
 * Old events are never rewritten: they are upcast when read. An upcaster lifts one type from
 * schema version N to N+1; the chain runs until the current version. Register one here whenever
 * an event's schema changes, together with a test holding an event stored in the old shape.
 */
export interface EventShape {
  type: string;
  schemaVersion: number;
  data: Record<string, unknown>;
  personal: Record<string, unknown> | null;
}

export type Upcaster = (event: EventShape) => EventShape;

/** Keyed by `<type>@<fromVersion>`. */
export type UpcasterRegistry = ReadonlyMap<string, Upcaster>;

/** No case event has changed schema since version 1 yet. */
export const CASE_UPCASTERS: UpcasterRegistry = new Map();

export class UnknownEventError extends Error {
  constructor(
    readonly type: string,
    readonly schemaVersion: number,
  ) {
    super(`cannot read event ${type} v${schemaVersion}: no such type or no upcaster to the current version`);
    this.name = 'UnknownEventError';
  }
}

export function upcast(
  event: EventShape,
  registry: UpcasterRegistry = CASE_UPCASTERS,
  currentVersions: Readonly<Record<string, number>> = CASE_EVENT_SCHEMA_VERSIONS,
): EventShape {
  const target = currentVersions[event.type];
  if (target === undefined || (registry === CASE_UPCASTERS && !isCaseEventType(event.type))) {
    throw new UnknownEventError(event.type, event.schemaVersion);
  }
  let current = event;
  while (current.schemaVersion < target) {
    const next = registry.get(`${current.type}@${current.schemaVersion}`);
    if (!next) throw new UnknownEventError(current.type, current.schemaVersion);
    const lifted = next(current);
    if (lifted.schemaVersion <= current.schemaVersion) throw new Error(`upcaster for ${current.type}@${current.schemaVersion} did not advance`);
    current = lifted;
  }
  if (current.schemaVersion > target) throw new UnknownEventError(current.type, current.schemaVersion);
  return current;
}
