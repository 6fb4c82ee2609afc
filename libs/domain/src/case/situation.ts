import { DomainErrorCode } from '../errors.js';
import { addDays, type IsoDay } from '../shared/dates.js';
import type {
  AmnestyFiler,
  CaseEvent,
  ExcludedOffence,
  ReleaseConditions,
  ReleaseLegalBasis,
} from './events.js';

/**
 * Where a person stands, derived by folding their timeline (situational events in valid-time order).
 * `step` below is the transition table: the only place that says which event may follow which status.
 */

export const CASE_STATUSES = ['detained', 'disappeared', 'house_arrest', 'conditional_release', 'released', 'deceased'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
/** Before the first detention is recorded the person has no status in the statistics. */
export type Standing = 'not_detained' | CaseStatus;

export const DEPRIVED_OF_LIBERTY: readonly CaseStatus[] = ['detained', 'disappeared', 'house_arrest'];
export const isDeprivedOfLiberty = (s: Standing): boolean => (DEPRIVED_OF_LIBERTY as readonly string[]).includes(s);
const isFree = (s: Standing): boolean => s === 'released' || s === 'conditional_release';

/** Calendar days the tribunal has to decide an amnesty request. */
export const AMNESTY_DECISION_DAYS = 15;

export interface Placement {
  status: 'detained' | 'disappeared' | 'house_arrest';
  from: IsoDay;
  facility: string | null;
}

export interface CustodyPeriod {
  startedOn: IsoDay;
  endedOn: IsoDay | null;
  endedBy: 'released' | 'conditional_release' | 'deceased' | null;
  releaseLegalBasis: ReleaseLegalBasis | null;
  placements: Placement[];
}

export type AmnestyRequestStatus = 'pending' | 'granted' | 'denied' | 'appealed';
export interface AmnestyRequestState {
  requestId: string;
  filedOn: IsoDay;
  filedBy: AmnestyFiler;
  /** Filing (or appeal) day plus 15 calendar days. */
  dueOn: IsoDay;
  status: AmnestyRequestStatus;
  decidedOn: IsoDay | null;
  deniedFor: ExcludedOffence | null;
}

export interface Situation {
  standing: Standing;
  /** Day the current standing began. */
  since: IsoDay | null;
  /** Where the person is held, or was last held. */
  facility: string | null;
  conditions: ReleaseConditions | null;
  custodyPeriods: CustodyPeriod[];
  charges: string[];
  excludedOffences: ExcludedOffence[];
  sentenced: boolean;
  amnestyRequests: AmnestyRequestState[];
  hungerStrikeSince: IsoDay | null;
  lastPresentation: { on: IsoDay; outcome: 'attended' | 'missed' } | null;
  missedPresentations: number;
}

export const initialSituation: Situation = {
  standing: 'not_detained',
  since: null,
  facility: null,
  conditions: null,
  custodyPeriods: [],
  charges: [],
  excludedOffences: [],
  sentenced: false,
  amnestyRequests: [],
  hungerStrikeSince: null,
  lastPresentation: null,
  missedPresentations: 0,
};

/**
 * Why an event does not fit where it stands. Plain data, not a `DomainError`: folds and histories
 * step through refused events often (they become anomalies), and an error would capture a stack each time.
 */
export interface StepRefusal {
  code: DomainErrorCode;
  message: string;
  details: Record<string, unknown>;
}
export type StepResult = { ok: true; situation: Situation } | { ok: false; refusal: StepRefusal };

const reject = (code: DomainErrorCode, message: string, details: Record<string, unknown> = {}): StepResult => ({
  ok: false,
  refusal: { code, message, details },
});
const ok = (situation: Situation): StepResult => ({ ok: true, situation });

function enterCustody(s: Situation, day: IsoDay, placement: Placement): Situation {
  const period: CustodyPeriod = { startedOn: day, endedOn: null, endedBy: null, releaseLegalBasis: null, placements: [placement] };
  return {
    ...s,
    standing: placement.status,
    since: day,
    facility: placement.facility ?? (placement.status === 'house_arrest' ? null : s.facility),
    conditions: null,
    custodyPeriods: [...s.custodyPeriods, period],
  };
}

function moveWithinCustody(s: Situation, day: IsoDay, placement: Placement): Situation {
  const periods = s.custodyPeriods.slice();
  const current = periods[periods.length - 1]!;
  periods[periods.length - 1] = { ...current, placements: [...current.placements, placement] };
  return {
    ...s,
    standing: placement.status,
    since: day,
    facility: placement.facility ?? s.facility,
    custodyPeriods: periods,
    // A disappeared person cannot be observed on hunger strike; the strike record stops there.
    hungerStrikeSince: placement.status === 'disappeared' ? null : s.hungerStrikeSince,
  };
}

function leaveCustody(
  s: Situation,
  day: IsoDay,
  standing: 'released' | 'conditional_release' | 'deceased',
  legalBasis: ReleaseLegalBasis | null,
  conditions: ReleaseConditions | null,
): Situation {
  const periods = s.custodyPeriods.slice();
  const current = periods[periods.length - 1]!;
  periods[periods.length - 1] = { ...current, endedOn: day, endedBy: standing, releaseLegalBasis: legalBasis };
  return { ...s, standing, since: day, conditions, custodyPeriods: periods, hungerStrikeSince: null };
}

function hasConditions(c: ReleaseConditions | null): c is ReleaseConditions {
  return c !== null && (c.reportEveryDays !== null || c.speechRestriction || c.travelBan || (c.other ?? '') !== '');
}

function updateRequest(s: Situation, requestId: string, patch: Partial<AmnestyRequestState>): Situation {
  return { ...s, amnestyRequests: s.amnestyRequests.map((r) => (r.requestId === requestId ? { ...r, ...patch } : r)) };
}

/**
 * The transition table. Given the situation before an event and the calendar day it happened on,
 * either the next situation or the reason the event cannot happen then.
 *
 * | event                 | allowed from                                       | leads to                               |
 * |-----------------------|----------------------------------------------------|----------------------------------------|
 * | Detained              | not_detained (first detention only)                | detained                               |
 * | Released              | detained, disappeared, house_arrest                | conditional_release or released        |
 * | ConditionsLifted      | conditional_release                                | released                               |
 * | PresentationRecorded  | conditional_release with a reporting obligation    | (unchanged)                            |
 * | ReArrested            | released, conditional_release                      | detained                               |
 * | HouseArrestImposed    | detained, disappeared, released, conditional_rel.  | house_arrest                           |
 * | WhereaboutsUnknown    | detained, house_arrest, released, conditional_rel. | disappeared                            |
 * | WhereaboutsConfirmed  | disappeared                                        | detained                               |
 * | Transferred           | detained, house_arrest                             | detained (at the new facility)         |
 * | ChargesRecorded       | any standing after the first detention             | (unchanged)                            |
 * | AmnestyRequested      | detained, disappeared, house_arrest, conditional   | (unchanged; request pending)           |
 * | AmnestyGranted/Denied | any, on a pending or appealed request              | (unchanged; request decided)           |
 * | AmnestyAppealed       | any, on a decided request                          | (unchanged; request appealed)          |
 * | HungerStrikeStarted   | detained, house_arrest, not already on strike      | (unchanged)                            |
 * | HungerStrikeEnded     | on strike                                          | (unchanged)                            |
 * | DiedInCustody         | detained, disappeared, house_arrest                | deceased                               |
 * Nothing follows `deceased`; nothing but `Detained` precedes the first detention.
 */
export function step(s: Situation, event: CaseEvent, day: IsoDay): StepResult {
  const standing = s.standing;
  if (event.type === 'CaseOpened' || event.type === 'EventRetracted' || event.type === 'EventConfirmed' || event.type === 'PersonalDataErased') {
    return ok(s); // profile, corrections and erasures never change the standing
  }
  if (standing === 'deceased') {
    return reject(DomainErrorCode.CaseClosedByDeath, `${event.type} cannot follow a death in custody`, { standing, eventType: event.type });
  }
  if (standing === 'not_detained' && event.type !== 'Detained') {
    return reject(DomainErrorCode.NotYetDetained, `${event.type} cannot precede the first detention`, { standing, eventType: event.type });
  }
  const notInCustody = () =>
    reject(DomainErrorCode.NotInCustody, `${event.type} needs the person to be deprived of liberty, but they are ${standing} since ${s.since}`, {
      standing,
      since: s.since,
      eventType: event.type,
    });
  const alreadyInCustody = () =>
    reject(DomainErrorCode.AlreadyInCustody, `${event.type} needs the person to be at liberty, but they are ${standing} since ${s.since}`, {
      standing,
      since: s.since,
      eventType: event.type,
    });
  const notAllowed = () =>
    reject(DomainErrorCode.TransitionNotAllowed, `${event.type} is not allowed while the person is ${standing}`, {
      standing,
      eventType: event.type,
    });

  switch (event.type) {
    case 'Detained':
      if (standing !== 'not_detained') {
        return isDeprivedOfLiberty(standing)
          ? alreadyInCustody()
          : reject(DomainErrorCode.AlreadyDetainedOnce, 'a later detention after a release is a re-arrest', { standing });
      }
      return ok({
        ...enterCustody(s, day, { status: 'detained', from: day, facility: event.data.facility }),
        charges: mergeUnique(s.charges, event.data.charges),
      });
    case 'ReArrested':
      if (!isFree(standing)) return alreadyInCustody();
      return ok({
        ...enterCustody(s, day, { status: 'detained', from: day, facility: event.data.facility }),
        charges: mergeUnique(s.charges, event.data.charges),
      });
    case 'Released': {
      if (!isDeprivedOfLiberty(standing)) return notInCustody();
      const conditional = hasConditions(event.data.conditions);
      return ok(
        leaveCustody(
          s,
          day,
          conditional ? 'conditional_release' : 'released',
          event.data.legalBasis,
          conditional ? event.data.conditions : null,
        ),
      );
    }
    case 'ConditionsLifted':
      if (standing !== 'conditional_release') return notAllowed();
      return ok({ ...s, standing: 'released', since: day, conditions: null });
    case 'PresentationRecorded':
      if (standing !== 'conditional_release' || s.conditions?.reportEveryDays == null) {
        return reject(DomainErrorCode.NoReportingObligation, 'a court appearance is recorded only for someone released with a reporting obligation', {
          standing,
        });
      }
      return ok({
        ...s,
        lastPresentation: { on: day, outcome: event.data.outcome },
        missedPresentations: s.missedPresentations + (event.data.outcome === 'missed' ? 1 : 0),
      });
    case 'HouseArrestImposed': {
      if (standing === 'house_arrest') return alreadyInCustody();
      const placement: Placement = { status: 'house_arrest', from: day, facility: null };
      return ok(isFree(standing) ? enterCustody(s, day, placement) : moveWithinCustody(s, day, placement));
    }
    case 'WhereaboutsUnknown': {
      if (standing === 'disappeared') return notAllowed();
      const placement: Placement = { status: 'disappeared', from: day, facility: null };
      return ok(isFree(standing) ? enterCustody(s, day, placement) : moveWithinCustody(s, day, placement));
    }
    case 'WhereaboutsConfirmed':
      if (standing !== 'disappeared') return notAllowed();
      return ok(moveWithinCustody(s, day, { status: 'detained', from: day, facility: event.data.facility }));
    case 'Transferred':
      if (standing === 'disappeared') return notAllowed();
      if (!isDeprivedOfLiberty(standing)) return notInCustody();
      return ok(moveWithinCustody(s, day, { status: 'detained', from: day, facility: event.data.toFacility }));
    case 'ChargesRecorded':
      return ok({
        ...s,
        charges: mergeUnique(s.charges, event.data.charges),
        excludedOffences: mergeUnique(s.excludedOffences, event.data.excludedOffences),
        sentenced: s.sentenced || event.data.sentenced,
      });
    case 'AmnestyRequested':
      if (!isDeprivedOfLiberty(standing) && standing !== 'conditional_release') {
        return reject(DomainErrorCode.AmnestyNotEligibleNow, `an amnesty request needs the person deprived of liberty or under conditions, not ${standing}`, {
          standing,
        });
      }
      if (s.amnestyRequests.some((r) => r.requestId === event.data.requestId)) {
        return reject(DomainErrorCode.AmnestyRequestAlreadyExists, `amnesty request ${event.data.requestId} already exists`, {
          requestId: event.data.requestId,
        });
      }
      return ok({
        ...s,
        amnestyRequests: [
          ...s.amnestyRequests,
          {
            requestId: event.data.requestId,
            filedOn: day,
            filedBy: event.data.filedBy,
            dueOn: addDays(day, AMNESTY_DECISION_DAYS),
            status: 'pending',
            decidedOn: null,
            deniedFor: null,
          },
        ],
      });
    case 'AmnestyGranted':
    case 'AmnestyDenied': {
      const request = s.amnestyRequests.find((r) => r.requestId === event.data.requestId);
      if (!request) {
        return reject(DomainErrorCode.AmnestyRequestNotFound, `no amnesty request ${event.data.requestId} was filed by ${day}`, {
          requestId: event.data.requestId,
        });
      }
      if (request.status === 'granted' || request.status === 'denied') {
        return reject(DomainErrorCode.AmnestyAlreadyDecided, `amnesty request ${request.requestId} was already ${request.status} on ${request.decidedOn}`, {
          requestId: request.requestId,
          status: request.status,
          decidedOn: request.decidedOn,
        });
      }
      const granted = event.type === 'AmnestyGranted';
      return ok(
        updateRequest(s, request.requestId, {
          status: granted ? 'granted' : 'denied',
          decidedOn: day,
          deniedFor: granted ? null : event.data.excludedOffence,
        }),
      );
    }
    case 'AmnestyAppealed': {
      const request = s.amnestyRequests.find((r) => r.requestId === event.data.requestId);
      if (!request) {
        return reject(DomainErrorCode.AmnestyRequestNotFound, `no amnesty request ${event.data.requestId} was filed by ${day}`, {
          requestId: event.data.requestId,
        });
      }
      if (request.status === 'pending' || request.status === 'appealed') {
        return reject(DomainErrorCode.AmnestyNotDecided, `amnesty request ${request.requestId} has no decision to appeal`, {
          requestId: request.requestId,
          status: request.status,
        });
      }
      return ok(updateRequest(s, request.requestId, { status: 'appealed', dueOn: addDays(day, AMNESTY_DECISION_DAYS), decidedOn: null }));
    }
    case 'HungerStrikeStarted':
      if (standing !== 'detained' && standing !== 'house_arrest') return standing === 'disappeared' ? notAllowed() : notInCustody();
      if (s.hungerStrikeSince !== null) {
        return reject(DomainErrorCode.AlreadyOnHungerStrike, `already on hunger strike since ${s.hungerStrikeSince}`, { since: s.hungerStrikeSince });
      }
      return ok({ ...s, hungerStrikeSince: day });
    case 'HungerStrikeEnded':
      if (s.hungerStrikeSince === null) return reject(DomainErrorCode.NotOnHungerStrike, 'no hunger strike is under way');
      return ok({ ...s, hungerStrikeSince: null });
    case 'DiedInCustody':
      if (!isDeprivedOfLiberty(standing)) return notInCustody();
      return ok(leaveCustody(s, day, 'deceased', null, null));
    default: {
      const exhaustive: never = event;
      throw new Error(`unhandled event ${(exhaustive as CaseEvent).type}`);
    }
  }
}

function mergeUnique<T>(a: readonly T[], b: readonly T[]): T[] {
  if (b.length === 0) return a as T[];
  const out = a.slice();
  for (const x of b) if (!out.includes(x)) out.push(x);
  return out;
}
