import { daysBetween, type IsoDay } from '../shared/dates.js';
import type { ExcludedOffence, ReleaseLegalBasis } from './events.js';
import { initialSituation, step, type AmnestyRequestStatus, type CaseStatus, type Situation } from './situation.js';
import { timelineFor, type CaseModelOptions, type OpenedCase, type TimelineEntry } from './state.js';

/**
 * A case's whole valid-time history, as read models store it: where the person stood on each day
 * (intervals), what happened on which day (flows), and how each amnesty request stood (request
 * intervals). A day counts as it stood at its end, so a release and a re-arrest on the same day
 * leave the person detained that day, while both still count as flows.
 */

export interface StatusInterval {
  status: CaseStatus;
  /** First day in this status. */
  from: IsoDay;
  /** First day no longer in it; null while it lasts. */
  to: IsoDay | null;
  /** The day the person entered this status; earlier than `from` when a transfer or new charges split the status. */
  statusSince: IsoDay;
  /** The facility, while detained in one. */
  facility: string | null;
  sentenced: boolean;
  excludedOffences: ExcludedOffence[];
  /** For a conditional release with a reporting obligation: every how many days, counted from the anchor. */
  reportEveryDays: number | null;
  reportingAnchor: IsoDay | null;
  onHungerStrike: boolean;
}

export const FLOW_KINDS = [
  'detention',
  'release',
  're_arrest',
  'house_arrest',
  'disappearance',
  'whereabouts_confirmed',
  'transfer',
  'conditions_lifted',
  'presentation_missed',
  'amnesty_requested',
  'amnesty_granted',
  'amnesty_denied',
  'amnesty_appealed',
  'death',
] as const;
export type FlowKind = (typeof FLOW_KINDS)[number];

export interface FlowFact {
  eventId: string;
  kind: FlowKind;
  day: IsoDay;
  /** For releases: the legal basis; for conditions lifted, when given. */
  legalBasis: ReleaseLegalBasis | null;
  /** For releases: whether conditions were imposed. */
  conditional: boolean;
  /** For re-arrests (and disappearances or house arrest straight after a release): days since that release. */
  daysSinceRelease: number | null;
  requestId: string | null;
}

export interface AmnestyRequestInterval {
  requestId: string;
  status: AmnestyRequestStatus;
  filedOn: IsoDay;
  dueOn: IsoDay;
  from: IsoDay;
  to: IsoDay | null;
}

export interface CaseHistory {
  intervals: StatusInterval[];
  flows: FlowFact[];
  requests: AmnestyRequestInterval[];
}

const FLOW_OF: Partial<Record<string, FlowKind>> = {
  Detained: 'detention',
  Released: 'release',
  ReArrested: 're_arrest',
  HouseArrestImposed: 'house_arrest',
  WhereaboutsUnknown: 'disappearance',
  WhereaboutsConfirmed: 'whereabouts_confirmed',
  Transferred: 'transfer',
  ConditionsLifted: 'conditions_lifted',
  AmnestyRequested: 'amnesty_requested',
  AmnestyGranted: 'amnesty_granted',
  AmnestyDenied: 'amnesty_denied',
  AmnestyAppealed: 'amnesty_appealed',
  DiedInCustody: 'death',
};

type Snapshot = Omit<StatusInterval, 'from' | 'to' | 'statusSince'>;

function snapshotOf(s: Situation): Snapshot | null {
  if (s.standing === 'not_detained') return null;
  const reportEveryDays = s.standing === 'conditional_release' ? (s.conditions?.reportEveryDays ?? null) : null;
  return {
    status: s.standing,
    facility: s.standing === 'detained' ? s.facility : null,
    sentenced: s.sentenced,
    excludedOffences: s.excludedOffences,
    reportEveryDays,
    reportingAnchor: reportEveryDays === null ? null : s.lastPresentation?.outcome === 'attended' && s.lastPresentation.on > (s.since ?? '') ? s.lastPresentation.on : s.since,
    onHungerStrike: s.hungerStrikeSince !== null,
  };
}

const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

const sameSnapshot = (a: Snapshot, b: Snapshot): boolean =>
  a.status === b.status &&
  a.facility === b.facility &&
  a.sentenced === b.sentenced &&
  a.reportEveryDays === b.reportEveryDays &&
  a.reportingAnchor === b.reportingAnchor &&
  a.onHungerStrike === b.onHungerStrike &&
  sameList(a.excludedOffences, b.excludedOffences);

/** Walks a sorted timeline once; events that do not fit where they stand are left out, as in the fold. */
export function caseHistory(timeline: readonly TimelineEntry[]): CaseHistory {
  const walk = new HistoryWalk();
  walk.advance(timeline);
  return walk.history;
}

/** The part of a history that one `advance` may have changed: before it (copies) and after it. */
export interface HistoryChange {
  before: CaseHistory;
  after: CaseHistory;
}

/** Where the walk stood at the start of the last day it walked, to go on from there. */
interface DayStart {
  /** Index in the timeline of the day's first entry. */
  index: number;
  situation: Situation;
  lastReleaseDay: IsoDay | null;
  intervals: number;
  /** Whether the last interval was still open then (only the last one can be). */
  lastIntervalOpen: boolean;
  flows: number;
  requests: number;
  openRequests: Map<string, AmnestyRequestInterval>;
}

const copyHistory = (h: CaseHistory): CaseHistory => ({
  intervals: h.intervals.map((i) => ({ ...i })),
  flows: h.flows.map((f) => ({ ...f })),
  requests: h.requests.map((r) => ({ ...r })),
});

/**
 * `caseHistory` that follows a timeline as it grows. When the new timeline differs from the last one
 * only from the start of the last day walked (an event recorded in valid-time order, the usual case),
 * the walk goes on from that day instead of from the first: a case of n events costs O(n), not O(n²),
 * to follow event by event. Anything else (a backdated event, a retraction) walks again from the start.
 *
 * Rows ended before that day cannot change, and no row after it can equal one of them (their days
 * differ), so `advance` reports only the rest: comparing its `before` and `after` gives the same rows
 * gone and new as comparing the whole histories.
 */
export class HistoryWalk {
  private timeline: readonly TimelineEntry[] = [];
  private situation: Situation = initialSituation;
  private lastReleaseDay: IsoDay | null = null;
  private intervals: StatusInterval[] = [];
  private flows: FlowFact[] = [];
  private requests: AmnestyRequestInterval[] = [];
  private openRequests = new Map<string, AmnestyRequestInterval>();
  private lastDayStart: DayStart | null = null;

  /** The whole history of the timeline last walked. Live: the next `advance` changes it. */
  get history(): CaseHistory {
    return { intervals: this.intervals, flows: this.flows, requests: this.requests };
  }

  advance(timeline: readonly TimelineEntry[]): HistoryChange {
    const from = this.resumable(timeline);
    let before: CaseHistory;
    if (from === null) {
      before = copyHistory(this.history);
      this.situation = initialSituation;
      this.lastReleaseDay = null;
      this.intervals = [];
      this.flows = [];
      this.requests = [];
      this.openRequests = new Map();
    } else {
      const first = from.lastIntervalOpen ? from.intervals - 1 : from.intervals;
      const stillOpen = [...from.openRequests.values()];
      before = copyHistory({
        intervals: this.intervals.slice(first),
        flows: this.flows.slice(from.flows),
        requests: [...stillOpen, ...this.requests.slice(from.requests)],
      });
      this.situation = from.situation;
      this.lastReleaseDay = from.lastReleaseDay;
      this.intervals.length = from.intervals;
      if (from.lastIntervalOpen) this.intervals[first]!.to = null;
      this.flows.length = from.flows;
      this.requests.length = from.requests;
      for (const r of stillOpen) r.to = null;
      this.openRequests = new Map(from.openRequests);
    }
    this.walk(timeline, from?.index ?? 0);
    if (from === null) return { before, after: this.history };
    const first = from.lastIntervalOpen ? from.intervals - 1 : from.intervals;
    return {
      before,
      after: {
        intervals: this.intervals.slice(first),
        flows: this.flows.slice(from.flows),
        requests: [...from.openRequests.values(), ...this.requests.slice(from.requests)],
      },
    };
  }

  /** The day start to go on from, when everything before it is the same in `timeline`; else null. */
  private resumable(timeline: readonly TimelineEntry[]): DayStart | null {
    const start = this.lastDayStart;
    if (start === null || timeline.length < start.index) return null;
    for (let i = 0; i < start.index; i++) {
      const [was, now] = [this.timeline[i]!, timeline[i]!];
      if (was !== now && (was.event.eventId !== now.event.eventId || was.day !== now.day)) return null;
    }
    // The day before was closed when the walk reached `start`: it must still end there.
    const next = timeline[start.index];
    return next === undefined || start.index === 0 || next.day !== timeline[start.index - 1]!.day ? start : null;
  }

  private walk(timeline: readonly TimelineEntry[], from: number): void {
    this.timeline = timeline;
    this.lastDayStart = from === 0 || from < timeline.length ? null : this.lastDayStart;
    for (let i = from; i < timeline.length; i++) {
      const { event, day } = timeline[i]!;
      if (i === from || timeline[i - 1]!.day !== day) this.markDayStart(i);
      const result = step(this.situation, event, day);
      if (result.ok) {
        const before = this.situation.standing;
        this.situation = result.situation;
        const kind = FLOW_OF[event.type];
        if (kind) {
          const afterRelease =
            (before === 'released' || before === 'conditional_release') && this.lastReleaseDay !== null && this.situation.standing !== before;
          this.flows.push({
            eventId: event.eventId,
            kind,
            day,
            legalBasis: event.type === 'Released' || event.type === 'ConditionsLifted' ? event.data.legalBasis : null,
            conditional: event.type === 'Released' && this.situation.standing === 'conditional_release',
            daysSinceRelease: afterRelease ? daysBetween(this.lastReleaseDay!, day) : null,
            requestId: 'requestId' in event.data ? (event.data as { requestId: string }).requestId : null,
          });
        }
        if (event.type === 'PresentationRecorded' && event.data.outcome === 'missed') {
          this.flows.push({ eventId: event.eventId, kind: 'presentation_missed', day, legalBasis: null, conditional: false, daysSinceRelease: null, requestId: null });
        }
        if (event.type === 'Released') this.lastReleaseDay = day;
      }
      const next = timeline[i + 1];
      if (!next || next.day !== day) this.closeDay(day);
    }
  }

  private markDayStart(index: number): void {
    const last = this.intervals[this.intervals.length - 1];
    this.lastDayStart = {
      index,
      situation: this.situation,
      lastReleaseDay: this.lastReleaseDay,
      intervals: this.intervals.length,
      lastIntervalOpen: last !== undefined && last.to === null,
      flows: this.flows.length,
      requests: this.requests.length,
      openRequests: new Map(this.openRequests),
    };
  }

  /** Ends a day: the standing at its end opens, continues or closes an interval, and so for each request. */
  private closeDay(day: IsoDay): void {
    const snap = snapshotOf(this.situation);
    const open = this.intervals[this.intervals.length - 1];
    const openSnap = open && open.to === null ? open : undefined;
    if (!(openSnap && snap && sameSnapshot(openSnap, snap))) {
      if (openSnap) openSnap.to = day;
      const continues = openSnap !== undefined && snap !== null && openSnap.status === snap.status;
      if (snap) this.intervals.push({ ...snap, from: day, to: null, statusSince: continues ? openSnap.statusSince : day });
    }
    for (const r of this.situation.amnestyRequests) {
      const current = this.openRequests.get(r.requestId);
      if (current && current.status === r.status && current.dueOn === r.dueOn) continue;
      if (current) current.to = day;
      const next: AmnestyRequestInterval = { requestId: r.requestId, status: r.status, filedOn: r.filedOn, dueOn: r.dueOn, from: day, to: null };
      this.requests.push(next);
      this.openRequests.set(r.requestId, next);
    }
  }
}

/** The history of an opened case for a verification scope. */
export function historyOf(state: OpenedCase, verification: 'all' | 'confirmed', options: CaseModelOptions): CaseHistory {
  return caseHistory(timelineFor(state, verification, options));
}
