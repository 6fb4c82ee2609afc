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

const sameSnapshot = (a: Snapshot, b: Snapshot): boolean =>
  a.status === b.status &&
  a.facility === b.facility &&
  a.sentenced === b.sentenced &&
  a.reportEveryDays === b.reportEveryDays &&
  a.reportingAnchor === b.reportingAnchor &&
  a.onHungerStrike === b.onHungerStrike &&
  a.excludedOffences.join() === b.excludedOffences.join();

/** Walks a sorted timeline once; events that do not fit where they stand are left out, as in the fold. */
export function caseHistory(timeline: readonly TimelineEntry[]): CaseHistory {
  const intervals: StatusInterval[] = [];
  const flows: FlowFact[] = [];
  const requests: AmnestyRequestInterval[] = [];
  const openRequests = new Map<string, AmnestyRequestInterval>();
  let situation = initialSituation;
  let lastReleaseDay: IsoDay | null = null;

  const closeDay = (day: IsoDay) => {
    const snap = snapshotOf(situation);
    const open = intervals[intervals.length - 1];
    const openSnap = open && open.to === null ? open : undefined;
    if (openSnap && snap && sameSnapshot(openSnap, snap)) {
      // unchanged
    } else {
      if (openSnap) openSnap.to = day;
      const continues = openSnap !== undefined && snap !== null && openSnap.status === snap.status;
      if (snap) intervals.push({ ...snap, from: day, to: null, statusSince: continues ? openSnap.statusSince : day });
    }
    for (const r of situation.amnestyRequests) {
      const current = openRequests.get(r.requestId);
      if (current && current.status === r.status && current.dueOn === r.dueOn) continue;
      if (current) current.to = day;
      const next: AmnestyRequestInterval = { requestId: r.requestId, status: r.status, filedOn: r.filedOn, dueOn: r.dueOn, from: day, to: null };
      requests.push(next);
      openRequests.set(r.requestId, next);
    }
  };

  for (let i = 0; i < timeline.length; i++) {
    const { event, day } = timeline[i]!;
    const result = step(situation, event, day);
    if (result.ok) {
      const before = situation.standing;
      situation = result.situation;
      const kind = FLOW_OF[event.type];
      if (kind) {
        const afterRelease =
          (before === 'released' || before === 'conditional_release') && lastReleaseDay !== null && situation.standing !== before;
        flows.push({
          eventId: event.eventId,
          kind,
          day,
          legalBasis: event.type === 'Released' || event.type === 'ConditionsLifted' ? event.data.legalBasis : null,
          conditional: event.type === 'Released' && situation.standing === 'conditional_release',
          daysSinceRelease: afterRelease ? daysBetween(lastReleaseDay!, day) : null,
          requestId: 'requestId' in event.data ? (event.data as { requestId: string }).requestId : null,
        });
      }
      if (event.type === 'PresentationRecorded' && event.data.outcome === 'missed') {
        flows.push({ eventId: event.eventId, kind: 'presentation_missed', day, legalBasis: null, conditional: false, daysSinceRelease: null, requestId: null });
      }
      if (event.type === 'Released') lastReleaseDay = day;
    }
    const next = timeline[i + 1];
    if (!next || next.day !== day) closeDay(day);
  }
  return { intervals, flows, requests };
}

/** The history of an opened case for a verification scope. */
export function historyOf(state: OpenedCase, verification: 'all' | 'confirmed', options: CaseModelOptions): CaseHistory {
  return caseHistory(timelineFor(state, verification, options));
}
