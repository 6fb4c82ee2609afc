import { dayOf, DEFAULT_TIME_ZONE, type IsoDay } from '../shared/dates.js';
import type { CaseOpened, CaseEvent, RecordedCaseEvent } from './events.js';
import { isCorrection } from './events.js';
import { initialSituation, step, type Situation, type StepRefusal } from './situation.js';

export interface TimelineEntry {
  event: RecordedCaseEvent;
  /** Calendar day of `occurredOn` in the configured time zone. */
  day: IsoDay;
}

/** A timeline event that does not fit where it stands (only reachable through races or imports). */
export interface Anomaly {
  eventId: string;
  type: string;
  code: string;
  message: string;
  details: Record<string, unknown>;
}

export type UnopenedCase = { kind: 'unopened'; version: 0 };
export interface OpenedCase {
  kind: 'opened';
  caseId: string;
  version: number;
  opened: Extract<RecordedCaseEvent, { type: 'CaseOpened' }>;
  /** Every recorded event in stream order, corrections included. */
  events: RecordedCaseEvent[];
  /** Ids of events that a standing (not itself retracted) retraction withdrew. */
  retracted: ReadonlySet<string>;
  /** Ids of `reported` events that a standing confirmation confirmed. */
  confirmed: ReadonlySet<string>;
  /** Events that count, in valid-time order; within a day, stream order. */
  timeline: TimelineEntry[];
  situation: Situation;
  anomalies: Anomaly[];
}
export type CaseState = UnopenedCase | OpenedCase;

export const initialCaseState = (): CaseState => ({ kind: 'unopened', version: 0 });

const byDayThenVersion = (a: TimelineEntry, b: TimelineEntry): number =>
  a.day < b.day ? -1 : a.day > b.day ? 1 : a.event.version - b.event.version;

function toAnomaly(event: RecordedCaseEvent, refusal: StepRefusal): Anomaly {
  return { eventId: event.eventId, type: event.type, code: refusal.code, message: refusal.message, details: refusal.details };
}

/** Folds a sorted timeline; events that do not fit are kept aside as anomalies instead of throwing. */
export function foldTimeline(timeline: readonly TimelineEntry[], untilDay?: IsoDay): { situation: Situation; anomalies: Anomaly[] } {
  let situation = initialSituation;
  const anomalies: Anomaly[] = [];
  for (const entry of timeline) {
    if (untilDay !== undefined && entry.day > untilDay) break;
    const result = step(situation, entry.event, entry.day);
    if (result.ok) situation = result.situation;
    else anomalies.push(toAnomaly(entry.event, result.refusal));
  }
  return { situation, anomalies };
}

/** Which events are withdrawn: a retraction counts unless it was itself retracted (which restores its target). */
export function computeRetracted(events: readonly RecordedCaseEvent[]): Set<string> {
  const retractionsOf = new Map<string, string[]>();
  for (const e of events) {
    if (e.type !== 'EventRetracted') continue;
    const list = retractionsOf.get(e.data.retractedEventId) ?? [];
    list.push(e.eventId);
    retractionsOf.set(e.data.retractedEventId, list);
  }
  const memo = new Map<string, boolean>();
  const isRetracted = (id: string, depth = 0): boolean => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    const value = depth < 64 && (retractionsOf.get(id) ?? []).some((r) => !isRetracted(r, depth + 1));
    memo.set(id, value);
    return value;
  };
  const out = new Set<string>();
  for (const target of retractionsOf.keys()) if (isRetracted(target)) out.add(target);
  return out;
}

function computeConfirmed(events: readonly RecordedCaseEvent[], retracted: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  for (const e of events) if (e.type === 'EventConfirmed' && !retracted.has(e.eventId)) out.add(e.data.confirmedEventId);
  return out;
}

export interface TimelineFilter {
  /** `confirmed` keeps only events confirmed at recording or by a later confirmation. */
  verification: 'confirmed' | 'all';
}

function buildTimeline(
  events: readonly RecordedCaseEvent[],
  retracted: ReadonlySet<string>,
  confirmed: ReadonlySet<string>,
  timeZone: string,
  filter: TimelineFilter,
): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  for (const e of events) {
    if (e.type === 'CaseOpened' || isCorrection(e) || retracted.has(e.eventId)) continue;
    if (filter.verification === 'confirmed' && e.facts.verification !== 'confirmed' && !confirmed.has(e.eventId)) continue;
    entries.push({ event: e, day: dayOf(e.facts.occurredOn, timeZone) });
  }
  return entries.sort(byDayThenVersion);
}

export interface CaseModelOptions {
  timeZone: string;
}

/**
 * `evolve(state, event) -> state`. Total: it never throws on a recorded event, because what is
 * recorded is a fact about the record; an event that does not fit its place becomes an anomaly.
 */
export function makeEvolve(options: CaseModelOptions = { timeZone: DEFAULT_TIME_ZONE }) {
  const { timeZone } = options;
  return function evolve(state: CaseState, event: RecordedCaseEvent): CaseState {
    if (state.kind === 'unopened') {
      if (event.type !== 'CaseOpened') return state; // a stream must open with CaseOpened; anything else is ignored
      return {
        kind: 'opened',
        caseId: event.data.caseId,
        version: event.version,
        opened: event,
        events: [event],
        retracted: new Set(),
        confirmed: new Set(),
        timeline: [],
        situation: initialSituation,
        anomalies: [],
      };
    }
    const events = [...state.events, event];
    if (isCorrection(event) || event.type === 'CaseOpened') {
      if (event.type === 'CaseOpened') return { ...state, version: event.version, events };
      const retracted = computeRetracted(events);
      const confirmed = computeConfirmed(events, retracted);
      const timeline = buildTimeline(events, retracted, confirmed, timeZone, { verification: 'all' });
      return { ...state, version: event.version, events, retracted, confirmed, timeline, ...foldTimeline(timeline) };
    }
    const entry: TimelineEntry = { event, day: dayOf(event.facts.occurredOn, timeZone) };
    const last = state.timeline[state.timeline.length - 1];
    if (last === undefined || byDayThenVersion(last, entry) <= 0) {
      // The usual case: the event is the latest in valid time, so one step suffices.
      const result = step(state.situation, event, entry.day);
      const timeline = [...state.timeline, entry];
      return result.ok
        ? { ...state, version: event.version, events, timeline, situation: result.situation }
        : {
            ...state,
            version: event.version,
            events,
            timeline,
            anomalies: [...state.anomalies, toAnomaly(event, result.refusal)],
          };
    }
    // Backdated: it revises every later day, so the timeline is folded again.
    const timeline = [...state.timeline, entry].sort(byDayThenVersion);
    return { ...state, version: event.version, events, timeline, ...foldTimeline(timeline) };
  };
}

/** The timeline that counts for a verification scope: all events, or only confirmed ones. */
export function timelineFor(state: OpenedCase, verification: 'all' | 'confirmed', options: CaseModelOptions): TimelineEntry[] {
  return verification === 'all' ? state.timeline : buildTimeline(state.events, state.retracted, state.confirmed, options.timeZone, { verification });
}

/** Folds a whole stream. */
export function foldCase(events: Iterable<RecordedCaseEvent>, options?: CaseModelOptions): CaseState {
  const evolve = makeEvolve(options);
  let state = initialCaseState();
  for (const e of events) state = evolve(state, e);
  return state;
}

export interface CaseView {
  state: OpenedCase;
  situation: Situation;
  timeline: TimelineEntry[];
  anomalies: Anomaly[];
}

/**
 * The case as it stood at the end of `asOfDay`, as known at `knownAt` (only events recorded at or
 * before it count, corrections included), optionally counting only confirmed events.
 */
export function viewCase(
  events: readonly RecordedCaseEvent[],
  query: { asOfDay?: IsoDay; knownAt?: string; verification?: 'confirmed' | 'all' },
  options: CaseModelOptions = { timeZone: DEFAULT_TIME_ZONE },
): CaseView | null {
  const known = query.knownAt === undefined ? events : events.filter((e) => e.recordedAt <= query.knownAt!);
  const state = foldCase(known, options);
  if (state.kind !== 'opened') return null;
  const timeline = timelineFor(state, query.verification ?? 'all', options);
  const folded = foldTimeline(timeline, query.asOfDay);
  return {
    state,
    situation: folded.situation,
    timeline: query.asOfDay === undefined ? timeline : timeline.filter((t) => t.day <= query.asOfDay!),
    anomalies: folded.anomalies,
  };
}

export type { CaseOpened, CaseEvent };
