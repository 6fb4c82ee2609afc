import { DomainErrorCode as E } from '../errors.js';
import { caseDecider } from './decider.js';
import type { CaseEvent } from './events.js';
import type { OpenedCase } from './state.js';
import { specFor } from '../testing/decider-specification.js';
import { CASE_ID, cmd, ev, facts, REPORT_EVERY_30_DAYS } from '../testing/fixtures.js';
import type { CaseCommand } from './commands.js';

const NOW = new Date('2026-03-01T16:00:00Z');
const spec = specFor(caseDecider(), NOW);
const standingAfter = (given: CaseEvent[], command: CaseCommand) =>
  (spec.given(given).when(command).thenState() as OpenedCase).situation.standing;

/** A history that leaves the person in each standing, all before 2026-02-10. */
const HISTORIES = {
  not_detained: [ev.opened()],
  detained: [ev.opened(), ev.detained('2025-01-07')],
  disappeared: [ev.opened(), ev.detained('2025-01-07'), ev.disappeared('2025-06-01')],
  house_arrest: [ev.opened(), ev.detained('2025-01-07'), ev.houseArrest('2025-06-01')],
  conditional_release: [ev.opened(), ev.detained('2025-01-07'), ev.released('2026-01-08', REPORT_EVERY_30_DAYS)],
  released: [ev.opened(), ev.detained('2025-01-07'), ev.released('2026-01-08')],
  deceased: [ev.opened(), ev.detained('2025-01-07'), ev.died('2025-06-01')],
} as const;
type From = keyof typeof HISTORIES;
const FROM: From[] = ['not_detained', 'detained', 'disappeared', 'house_arrest', 'conditional_release', 'released', 'deceased'];

const D = '2026-02-10';
const NYD = E.NotYetDetained, AIC = E.AlreadyInCustody, NIC = E.NotInCustody, TNA = E.TransitionNotAllowed, DEAD = E.CaseClosedByDeath;
/** The transition table, as a matrix: each row is a command, each column the standing before it. */
const MATRIX: [string, CaseCommand, (string | E)[]][] = [
  ['detention', cmd.detain(D), ['detained', AIC, AIC, AIC, E.AlreadyDetainedOnce, E.AlreadyDetainedOnce, DEAD]],
  ['release', cmd.release(D), [NYD, 'released', 'released', 'released', NIC, NIC, DEAD]],
  ['conditional release', cmd.release(D, REPORT_EVERY_30_DAYS), [NYD, 'conditional_release', 'conditional_release', 'conditional_release', NIC, NIC, DEAD]],
  ['re-arrest', cmd.reArrest(D), [NYD, AIC, AIC, AIC, 'detained', 'detained', DEAD]],
  ['house arrest', cmd.houseArrest(D), [NYD, 'house_arrest', 'house_arrest', AIC, 'house_arrest', 'house_arrest', DEAD]],
  ['disappearance', cmd.disappear(D), [NYD, 'disappeared', TNA, 'disappeared', 'disappeared', 'disappeared', DEAD]],
  ['whereabouts confirmed', cmd.whereabouts(D), [NYD, TNA, 'detained', TNA, TNA, TNA, DEAD]],
  ['transfer', cmd.transfer(D), [NYD, 'detained', TNA, 'detained', NIC, NIC, DEAD]],
  ['conditions lifted', cmd.liftConditions(D), [NYD, TNA, TNA, TNA, 'released', TNA, DEAD]],
  ['death in custody', cmd.die(D), [NYD, 'deceased', 'deceased', 'deceased', NIC, NIC, DEAD]],
  ['presentation', cmd.presentation(D), [NYD, E.NoReportingObligation, E.NoReportingObligation, E.NoReportingObligation, 'conditional_release', E.NoReportingObligation, DEAD]],
  ['hunger strike start', cmd.startHungerStrike(D), [NYD, 'detained', TNA, 'house_arrest', NIC, NIC, DEAD]],
  ['charges', cmd.charges(D), [NYD, 'detained', 'disappeared', 'house_arrest', 'conditional_release', 'released', DEAD]],
  ['amnesty request', cmd.requestAmnesty(D), [NYD, 'detained', 'disappeared', 'house_arrest', 'conditional_release', E.AmnestyNotEligibleNow, DEAD]],
];
const CASES = MATRIX.flatMap(([name, command, outcomes]) => FROM.map((from, i) => [name, from, command, outcomes[i]!] as const));

describe('the transition table', () => {
  it.each(CASES)('%s from %s', (_name, from, command, outcome) => {
    const given = [...HISTORIES[from]];
    if (Object.values(E).includes(outcome as E)) {
      spec.given(given).when(command).thenThrows(outcome as E);
    } else {
      expect(standingAfter(given, command)).toBe(outcome);
    }
  });
});

describe('recording world events', () => {
  it('records a conditional release with its conditions', () => {
    spec
      .given([ev.opened(), ev.detained('2024-02-09')])
      .when(cmd.release('2026-01-08', REPORT_EVERY_30_DAYS))
      .then([
        {
          type: 'Released',
          data: { legalBasis: 'government_announcement', conditions: REPORT_EVERY_30_DAYS, facility: null },
          personal: null,
          facts: facts('2026-01-08'),
        },
      ]);
  });

  it('opens a case with its first detention in one decision', () => {
    const command: CaseCommand = {
      type: 'OpenCase',
      caseId: CASE_ID,
      source: null,
      data: { nameWithheld: false, nationalities: ['VE'], gender: 'male', minor: false, affiliation: 'civilian', externalReference: 'FP-1' },
      personal: { fullName: 'Enrique Márquez', birthYear: null },
      firstDetention: { facts: facts('2025-01-07'), data: { facility: 'El Helicoide', arrestingAuthority: 'SEBIN', charges: [] }, personal: null },
    };
    const events = spec.given([]).when(command).thenState() as OpenedCase;
    expect(events.events.map((e) => e.type)).toEqual(['CaseOpened', 'Detained']);
    expect(events.situation.standing).toBe('detained');
    spec.given([ev.opened()]).when(command).thenThrows(E.CaseAlreadyOpened);
  });

  it('rejects any command on a case that was never opened', () => {
    spec.given([]).when(cmd.release('2026-01-08')).thenThrows(E.CaseNotFound);
    spec.given([]).when(cmd.retract('e1')).thenThrows(E.CaseNotFound);
  });

  it('orders events of one day by stream order: released, then taken again hours later (Guanipa, 8 Feb 2026)', () => {
    const state = spec
      .given([ev.opened(), ev.detained('2025-04-23'), ev.released('2026-02-08')])
      .when(cmd.reArrest('2026-02-08'))
      .thenState() as OpenedCase;
    expect(state.situation.standing).toBe('detained');
    expect(state.situation.custodyPeriods.map((p) => [p.startedOn, p.endedOn])).toEqual([
      ['2025-04-23', '2026-02-08'],
      ['2026-02-08', null],
    ]);
  });

  it('rejects an event dated before the first detention', () => {
    spec
      .given([ev.opened(), ev.detained('2025-01-07')])
      .when(cmd.release('2024-12-01'))
      .thenThrows(E.BeforeFirstDetention, { firstDetainedOn: '2025-01-07', field: 'occurredOn' });
  });

  it('rejects a date in the future, in Caracas time', () => {
    // NOW is 2026-03-01T16:00Z, i.e. noon in Caracas.
    spec.given(HISTORIES.detained.slice()).when(cmd.release('2026-03-02')).thenThrows(E.OccurredInFuture, { field: 'occurredOn' });
    spec.given(HISTORIES.detained.slice()).when(cmd.release('2026-03-01T13:00:00-04:00')).thenThrows(E.OccurredInFuture);
    expect(standingAfter(HISTORIES.detained.slice(), cmd.release('2026-03-01T11:00:00-04:00'))).toBe('released');
  });

  it('rejects an impossible or ancient date', () => {
    spec.given(HISTORIES.detained.slice()).when(cmd.release('2026-02-30')).thenThrows(E.InvalidDate, { field: 'occurredOn' });
    spec.given(HISTORIES.detained.slice()).when(cmd.release('0001-01-01')).thenThrows(E.InvalidDate);
  });

  it('accepts a backdated event that fits, and refolds the later ones', () => {
    const state = spec
      .given([ev.opened(), ev.detained('2024-02-09', 'El Helicoide'), ev.released('2026-01-08')])
      .when(cmd.transfer('2025-03-01', 'Rodeo I'))
      .thenState() as OpenedCase;
    expect(state.situation.standing).toBe('released');
    expect(state.situation.custodyPeriods[0]!.placements.map((p) => p.facility)).toEqual(['El Helicoide', 'Rodeo I']);
    expect(state.timeline.map((t) => t.event.type)).toEqual(['Detained', 'Transferred', 'Released']);
  });

  it('rejects a backdated event that would make a later one impossible', () => {
    spec
      .given([ev.opened(), ev.detained('2024-02-09'), ev.released('2026-01-08')])
      .when(cmd.release('2025-06-01'))
      .thenThrows(E.TimelineConflict, { conflictingEventId: 'e3', conflictingType: 'Released', reason: E.NotInCustody });
  });

  it('ends a hunger strike when the person leaves custody, and rejects strikes that do not exist', () => {
    const given = [ev.opened(), ev.detained('2025-01-07'), ev.hungerStrikeStarted('2026-02-01')];
    spec.given(given).when(cmd.startHungerStrike(D)).thenThrows(E.AlreadyOnHungerStrike);
    expect((spec.given(given).when(cmd.release(D)).thenState() as OpenedCase).situation.hungerStrikeSince).toBeNull();
    spec.given(HISTORIES.detained.slice()).when(cmd.endHungerStrike(D)).thenThrows(E.NotOnHungerStrike);
    expect((spec.given(given).when(cmd.endHungerStrike(D)).thenState() as OpenedCase).situation.hungerStrikeSince).toBeNull();
  });

  it('counts missed court appearances', () => {
    const s = spec.given(HISTORIES.conditional_release.slice()).when(cmd.presentation('2026-02-07', 'missed')).thenState() as OpenedCase;
    expect(s.situation.missedPresentations).toBe(1);
    expect(s.situation.lastPresentation).toEqual({ on: '2026-02-07', outcome: 'missed' });
  });
});

describe('amnesty requests', () => {
  const detained = HISTORIES.detained.slice();
  it('gives the tribunal 15 calendar days', () => {
    const s = spec.given(detained).when(cmd.requestAmnesty('2026-02-20')).thenState() as OpenedCase;
    expect(s.situation.amnestyRequests).toEqual([
      { requestId: 'r1', filedOn: '2026-02-20', filedBy: 'lawyer', dueOn: '2026-03-07', status: 'pending', decidedOn: null, deniedFor: null },
    ]);
  });
  it('rejects a decision without a request', () => {
    spec.given(detained).when(cmd.grantAmnesty('2026-02-25')).thenThrows(E.AmnestyRequestNotFound);
  });
  it('rejects a second decision on one request', () => {
    spec
      .given([...detained, ev.amnestyRequested('2026-02-20'), ev.amnestyDenied('2026-02-25')])
      .when(cmd.grantAmnesty('2026-02-26'))
      .thenThrows(E.AmnestyAlreadyDecided, { status: 'denied', decidedOn: '2026-02-25' });
  });
  it('rejects a decision dated before the request', () => {
    spec
      .given([...detained, ev.amnestyRequested('2026-02-20')])
      .when(cmd.grantAmnesty('2026-02-19'))
      .thenThrows(E.DecisionBeforeRequest, { filedOn: '2026-02-20' });
  });
  it('allows a new decision after an appeal, and no appeal of a pending request', () => {
    const given = [...detained, ev.amnestyRequested('2026-02-20'), ev.amnestyDenied('2026-02-21')];
    spec.given([...detained, ev.amnestyRequested('2026-02-20')]).when(cmd.appealAmnesty('2026-02-21')).thenThrows(E.AmnestyNotDecided);
    const appealed = spec.given(given).when(cmd.appealAmnesty('2026-02-22')).thenState() as OpenedCase;
    expect(appealed.situation.amnestyRequests[0]).toMatchObject({ status: 'appealed', dueOn: '2026-03-09' });
    const s = spec.given([...given, { type: 'AmnestyAppealed', data: { requestId: 'r1', appealedBy: 'lawyer' }, personal: null, facts: facts('2026-02-22') }])
      .when(cmd.grantAmnesty('2026-02-28'))
      .thenState() as OpenedCase;
    expect(s.situation.amnestyRequests[0]).toMatchObject({ status: 'granted', decidedOn: '2026-02-28' });
  });
  it('rejects a duplicate request id', () => {
    spec.given([...detained, ev.amnestyRequested('2026-02-20')]).when(cmd.requestAmnesty('2026-02-21')).thenThrows(E.AmnestyRequestAlreadyExists);
  });
});

describe('corrections', () => {
  const history = [ev.opened(), ev.detained('2024-02-09'), ev.released('2026-01-08')];

  it('a retraction withdraws the event from the timeline', () => {
    const s = spec.given(history).when(cmd.retract('e3')).thenState() as OpenedCase;
    expect(s.situation.standing).toBe('detained');
    expect(s.retracted.has('e3')).toBe(true);
    expect(s.events).toHaveLength(4); // nothing is deleted
  });

  it('a retraction of a retraction restores the event', () => {
    const retraction: CaseEvent = { type: 'EventRetracted', data: { retractedEventId: 'e3', reason: 'wrong person' }, personal: null, facts: facts('2026-02-01') };
    const s = spec.given([...history, retraction]).when(cmd.retract('e4')).thenState() as OpenedCase;
    expect(s.situation.standing).toBe('released');
    expect(s.retracted.has('e3')).toBe(false);
    spec.given([...history, retraction]).when(cmd.retract('e3')).thenThrows(E.EventAlreadyRetracted);
  });

  it('records who and why, dated the day it is made', () => {
    spec.given(history).when(cmd.retract('e3', 'duplicate report')).then([
      { type: 'EventRetracted', data: { retractedEventId: 'e3', reason: 'duplicate report' }, personal: null, facts: { occurredOn: '2026-03-01', datePrecision: 'day', source: null, verification: 'confirmed' } },
    ]);
  });

  it('rejects retracting the opening, an unknown event, or one that later events depend on', () => {
    spec.given(history).when(cmd.retract('e1')).thenThrows(E.EventNotCorrectable);
    spec.given(history).when(cmd.retract('nope')).thenThrows(E.EventNotFound);
    spec.given(history).when(cmd.retract('e2')).thenThrows(E.TimelineConflict, { conflictingEventId: 'e3' });
  });

  it('confirms a reported event once', () => {
    const reported = [ev.opened(), ev.detained('2024-02-09'), ev.released('2026-01-08', null, { verification: 'reported' })];
    const s = spec.given(reported).when(cmd.confirm('e3')).thenState() as OpenedCase;
    expect(s.confirmed.has('e3')).toBe(true);
    spec.given(history).when(cmd.confirm('e3')).thenThrows(E.EventAlreadyConfirmed);
    spec.given([...reported, { type: 'EventConfirmed', data: { confirmedEventId: 'e3', confirmingSource: { kind: 'ngo', name: 'Foro Penal' } }, personal: null, facts: facts('2026-01-09') }])
      .when(cmd.confirm('e3'))
      .thenThrows(E.EventAlreadyConfirmed);
  });
});
