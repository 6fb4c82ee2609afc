import { DomainError, DomainErrorCode } from '../errors.js';
import { dayOf, dayOfInstant, DEFAULT_TIME_ZONE, isValidOccurredOn, MIN_DAY } from '../shared/dates.js';
import type { CaseCommand } from './commands.js';
import type { CaseEvent, EventFacts, RecordedCaseEvent } from './events.js';
import { erasureOf, isCorrection } from './events.js';
import { makeEvolve, type Anomaly, type CaseModelOptions, type CaseState, type OpenedCase } from './state.js';

export interface DecideContext {
  /** The injected clock's reading: nothing may be dated after it. */
  now: Date;
}

function checkFacts(facts: EventFacts, now: Date, timeZone: string, field = 'occurredOn'): void {
  if (!isValidOccurredOn(facts.occurredOn)) {
    throw new DomainError(DomainErrorCode.InvalidDate, `${field} must be a real date (YYYY-MM-DD) or an ISO date-time with offset`, {
      field,
      value: facts.occurredOn,
    });
  }
  const day = dayOf(facts.occurredOn, timeZone);
  if (day < MIN_DAY) {
    throw new DomainError(DomainErrorCode.InvalidDate, `${field} must not be before ${MIN_DAY}`, { field, value: facts.occurredOn });
  }
  const today = dayOfInstant(now, timeZone);
  const instantInFuture = facts.occurredOn.length > 10 && Date.parse(facts.occurredOn) > now.getTime();
  if (day > today || instantInFuture) {
    throw new DomainError(DomainErrorCode.OccurredInFuture, `${field} ${facts.occurredOn} is in the future (today is ${today} in ${timeZone})`, {
      field,
      value: facts.occurredOn,
      today,
    });
  }
}

function requireOpened(state: CaseState, caseId: string): OpenedCase {
  if (state.kind !== 'opened') throw new DomainError(DomainErrorCode.CaseNotFound, `case ${caseId} does not exist`, { caseId });
  return state;
}

const anomalyKey = (a: Anomaly) => `${a.eventId}:${a.code}`;

/** Whether a command's `personal` member says anything (a member of nulls says nothing). */
const hasPersonalContent = (personal: object | null | undefined): boolean =>
  personal !== null && personal !== undefined && Object.values(personal).some((v) => v !== null && v !== undefined);

/** After an erasure, nothing personal may be recorded about the person again. */
function refuseAfterErasure(state: OpenedCase, personal: object | null | undefined): void {
  const erasure = erasureOf(state.events);
  if (erasure && hasPersonalContent(personal)) {
    throw new DomainError(
      DomainErrorCode.PersonalDataErased,
      `the personal data of case ${state.caseId} was erased at ${erasure.recordedAt}: record the event without personal fields (notes, lawyer name)`,
      { caseId: state.caseId, erasedAt: erasure.recordedAt, erasureEventId: erasure.eventId },
    );
  }
}

/**
 * `decide(command, state) -> events`: the case's rules. A world event must fit the timeline at its
 * own date and must not break any event already recorded after it; a correction must leave the
 * timeline consistent too.
 */
export function makeDecide(options: CaseModelOptions = { timeZone: DEFAULT_TIME_ZONE }) {
  const { timeZone } = options;
  const evolve = makeEvolve(options);

  /** Applies candidate events to the state as if recorded, and rejects any that does not fit. */
  function ensureFits(state: OpenedCase, events: CaseEvent[]): void {
    const before = new Set(state.anomalies.map(anomalyKey));
    let next: CaseState = state;
    const candidates: RecordedCaseEvent[] = events.map((e, i) => ({
      ...e,
      eventId: `candidate-${i}`,
      version: state.version + 1 + i,
      position: 0,
      recordedAt: '',
    })) as RecordedCaseEvent[];
    for (const c of candidates) next = evolve(next, c);
    const after = (next as OpenedCase).anomalies.filter((a) => !before.has(anomalyKey(a)));
    if (after.length === 0) return;
    const own = after.find((a) => a.eventId.startsWith('candidate-'));
    if (own) {
      const candidate = candidates.find((c) => c.eventId === own.eventId)!;
      throw explain(state, candidate, own);
    }
    const broken = after[0]!;
    const brokenEvent = state.events.find((e) => e.eventId === broken.eventId);
    throw new DomainError(
      DomainErrorCode.TimelineConflict,
      `this would make the ${broken.type} of ${brokenEvent ? dayOf(brokenEvent.facts.occurredOn, timeZone) : 'an earlier record'} inconsistent: ${broken.message}`,
      { conflictingEventId: broken.eventId, conflictingType: broken.type, reason: broken.code },
    );
  }

  /** Turns a step rejection into the clearest error, using what the whole record knows. */
  function explain(state: OpenedCase, candidate: RecordedCaseEvent, anomaly: Anomaly): DomainError {
    const day = dayOf(candidate.facts.occurredOn, timeZone);
    if (anomaly.code === DomainErrorCode.NotYetDetained) {
      const first = state.timeline.find((t) => t.event.type === 'Detained');
      if (first) {
        return new DomainError(DomainErrorCode.BeforeFirstDetention, `${candidate.type} on ${day} is dated before the first detention on ${first.day}`, {
          field: 'occurredOn',
          firstDetainedOn: first.day,
        });
      }
    }
    if (anomaly.code === DomainErrorCode.AmnestyRequestNotFound && 'requestId' in candidate.data) {
      const request = state.situation.amnestyRequests.find((r) => r.requestId === (candidate.data as { requestId: string }).requestId);
      if (request) {
        return new DomainError(DomainErrorCode.DecisionBeforeRequest, `${candidate.type} on ${day} is dated before the request was filed on ${request.filedOn}`, {
          field: 'occurredOn',
          requestId: request.requestId,
          filedOn: request.filedOn,
        });
      }
    }
    return new DomainError(anomaly.code as DomainErrorCode, anomaly.message, anomaly.details);
  }

  function findTarget(state: OpenedCase, eventId: string): RecordedCaseEvent {
    const target = state.events.find((e) => e.eventId === eventId);
    if (!target) throw new DomainError(DomainErrorCode.EventNotFound, `event ${eventId} is not part of case ${state.caseId}`, { eventId });
    return target;
  }

  return function decide(command: CaseCommand, state: CaseState, context: DecideContext): CaseEvent[] {
    const { now } = context;
    /** Events about the record itself are dated the day they are made. */
    const correctionFacts = (): EventFacts => ({
      occurredOn: dayOfInstant(now, timeZone),
      datePrecision: 'day',
      source: null,
      verification: 'confirmed',
    });

    switch (command.type) {
      case 'OpenCase': {
        if (state.kind === 'opened') throw new DomainError(DomainErrorCode.CaseAlreadyOpened, `case ${command.caseId} already exists`, { caseId: command.caseId });
        const openedFacts: EventFacts = { ...correctionFacts(), source: command.source };
        const opened: CaseEvent = { type: 'CaseOpened', data: { caseId: command.caseId, ...command.data }, personal: command.personal, facts: openedFacts };
        if (!command.firstDetention) return [opened];
        checkFacts(command.firstDetention.facts, now, timeZone, 'detention.occurredOn');
        return [opened, { type: 'Detained', data: command.firstDetention.data, personal: command.firstDetention.personal, facts: command.firstDetention.facts }];
      }
      case 'RetractEvent': {
        const opened = requireOpened(state, command.caseId);
        const target = findTarget(opened, command.data.eventId);
        if (target.type === 'CaseOpened') {
          throw new DomainError(DomainErrorCode.EventNotCorrectable, 'the opening of a case cannot be retracted', { eventId: target.eventId });
        }
        if (target.type === 'PersonalDataErased') {
          throw new DomainError(DomainErrorCode.EventNotCorrectable, 'an erasure cannot be retracted: the personal data it erased is gone', { eventId: target.eventId });
        }
        if (opened.retracted.has(target.eventId)) {
          throw new DomainError(DomainErrorCode.EventAlreadyRetracted, `event ${target.eventId} is already retracted`, { eventId: target.eventId });
        }
        const event: CaseEvent = {
          type: 'EventRetracted',
          data: { retractedEventId: target.eventId, reason: command.data.reason },
          personal: null,
          facts: correctionFacts(),
        };
        ensureFits(opened, [event]);
        return [event];
      }
      case 'ConfirmEvent': {
        const opened = requireOpened(state, command.caseId);
        const target = findTarget(opened, command.data.eventId);
        if (isCorrection(target)) {
          throw new DomainError(DomainErrorCode.EventNotCorrectable, 'a correction cannot be confirmed', { eventId: target.eventId });
        }
        if (opened.retracted.has(target.eventId)) {
          throw new DomainError(DomainErrorCode.EventAlreadyRetracted, `event ${target.eventId} is retracted`, { eventId: target.eventId });
        }
        if (target.facts.verification === 'confirmed' || opened.confirmed.has(target.eventId)) {
          throw new DomainError(DomainErrorCode.EventAlreadyConfirmed, `event ${target.eventId} is already confirmed`, { eventId: target.eventId });
        }
        return [
          {
            type: 'EventConfirmed',
            data: { confirmedEventId: target.eventId, confirmingSource: command.data.source },
            personal: null,
            facts: { ...correctionFacts(), source: command.data.source },
          },
        ];
      }
      case 'ErasePersonalData': {
        const opened = requireOpened(state, command.caseId);
        const erasure = erasureOf(opened.events);
        if (erasure) {
          throw new DomainError(DomainErrorCode.PersonalDataErased, `the personal data of case ${opened.caseId} was already erased at ${erasure.recordedAt}`, {
            caseId: opened.caseId,
            erasedAt: erasure.recordedAt,
            erasureEventId: erasure.eventId,
          });
        }
        return [{ type: 'PersonalDataErased', data: { reason: command.data.reason }, personal: null, facts: correctionFacts() }];
      }
      default: {
        const opened = requireOpened(state, command.caseId);
        refuseAfterErasure(opened, command.personal);
        checkFacts(command.facts, now, timeZone);
        const event = toWorldEvent(command);
        ensureFits(opened, [event]);
        return [event];
      }
    }
  };
}

type WorldCommand = Exclude<CaseCommand, { type: 'OpenCase' | 'RetractEvent' | 'ConfirmEvent' | 'ErasePersonalData' }>;

function toWorldEvent(command: WorldCommand): CaseEvent {
  const { facts } = command;
  switch (command.type) {
    case 'RecordDetention':
      return { type: 'Detained', data: command.data, personal: command.personal, facts };
    case 'RecordRelease':
      return { type: 'Released', data: command.data, personal: command.personal, facts };
    case 'LiftConditions':
      return { type: 'ConditionsLifted', data: command.data, personal: command.personal, facts };
    case 'RecordPresentation':
      return { type: 'PresentationRecorded', data: command.data, personal: command.personal, facts };
    case 'RecordReArrest':
      return { type: 'ReArrested', data: command.data, personal: command.personal, facts };
    case 'RecordHouseArrest':
      return { type: 'HouseArrestImposed', data: command.data, personal: command.personal, facts };
    case 'RecordDisappearance':
      return { type: 'WhereaboutsUnknown', data: command.data, personal: command.personal, facts };
    case 'RecordWhereabouts':
      return { type: 'WhereaboutsConfirmed', data: command.data, personal: command.personal, facts };
    case 'RecordTransfer':
      return { type: 'Transferred', data: command.data, personal: command.personal, facts };
    case 'RecordCharges':
      return { type: 'ChargesRecorded', data: command.data, personal: command.personal, facts };
    case 'RequestAmnesty':
      return { type: 'AmnestyRequested', data: command.data, personal: command.personal, facts };
    case 'DecideAmnesty': {
      const d = command.data;
      return d.outcome === 'granted'
        ? { type: 'AmnestyGranted', data: { requestId: d.requestId, tribunal: d.tribunal }, personal: command.personal, facts }
        : {
            type: 'AmnestyDenied',
            data: { requestId: d.requestId, tribunal: d.tribunal, reason: d.reason, excludedOffence: d.excludedOffence },
            personal: command.personal,
            facts,
          };
    }
    case 'AppealAmnesty':
      return { type: 'AmnestyAppealed', data: command.data, personal: command.personal, facts };
    case 'StartHungerStrike':
      return { type: 'HungerStrikeStarted', data: command.data, personal: command.personal, facts };
    case 'EndHungerStrike':
      return { type: 'HungerStrikeEnded', data: command.data, personal: command.personal, facts };
    case 'RecordDeath':
      return { type: 'DiedInCustody', data: command.data, personal: command.personal, facts };
    default: {
      const exhaustive: never = command;
      throw new Error(`unhandled command ${(exhaustive as CaseCommand).type}`);
    }
  }
}
