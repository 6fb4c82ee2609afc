import type { CaseCommand } from '../case/commands.js';
import type { CaseEvent, EventFacts, ReleaseConditions, Source } from '../case/events.js';

/** Small builders for domain tests: a day in, a well-formed event or command out. */
export const CASE_ID = '7a1e5c2e-0000-4000-8000-000000000001';
export const FORO_PENAL: Source = { kind: 'ngo', name: 'Foro Penal', reference: null };

export const facts = (occurredOn: string, over: Partial<EventFacts> = {}): EventFacts => ({
  occurredOn,
  datePrecision: 'day',
  source: FORO_PENAL,
  verification: 'confirmed',
  ...over,
});

export const REPORT_EVERY_30_DAYS: ReleaseConditions = { reportEveryDays: 30, speechRestriction: true, travelBan: false, other: null };

export const ev = {
  opened: (name: string | null = 'Rocío San Miguel', nationalities = ['ES', 'VE']): CaseEvent => ({
    type: 'CaseOpened',
    data: { caseId: CASE_ID, nameWithheld: name === null, nationalities, gender: 'female', minor: false, affiliation: 'civilian', externalReference: null },
    personal: { fullName: name, birthYear: 1966 },
    facts: facts('2026-01-01'),
  }),
  detained: (day: string, facility = 'El Helicoide'): CaseEvent => ({
    type: 'Detained',
    data: { facility, arrestingAuthority: 'SEBIN', charges: ['terrorism'] },
    personal: null,
    facts: facts(day),
  }),
  released: (day: string, conditions: ReleaseConditions | null = null, over: Partial<EventFacts> = {}): CaseEvent => ({
    type: 'Released',
    data: { legalBasis: 'government_announcement', conditions, facility: null },
    personal: null,
    facts: facts(day, over),
  }),
  reArrested: (day: string): CaseEvent => ({ type: 'ReArrested', data: { facility: null, arrestingAuthority: null, charges: [] }, personal: null, facts: facts(day) }),
  houseArrest: (day: string): CaseEvent => ({ type: 'HouseArrestImposed', data: { location: 'Maracaibo', orderedBy: null }, personal: null, facts: facts(day) }),
  disappeared: (day: string): CaseEvent => ({ type: 'WhereaboutsUnknown', data: { takenBy: 'unidentified armed men', lastSeenAt: null }, personal: null, facts: facts(day) }),
  whereabouts: (day: string, facility = 'Rodeo I'): CaseEvent => ({ type: 'WhereaboutsConfirmed', data: { facility }, personal: null, facts: facts(day) }),
  transferred: (day: string, toFacility = 'Rodeo I'): CaseEvent => ({ type: 'Transferred', data: { toFacility }, personal: null, facts: facts(day) }),
  amnestyRequested: (day: string, requestId = 'r1'): CaseEvent => ({
    type: 'AmnestyRequested',
    data: { requestId, filedBy: 'lawyer', tribunal: null },
    personal: { lawyerName: 'A. Lawyer' },
    facts: facts(day),
  }),
  amnestyGranted: (day: string, requestId = 'r1'): CaseEvent => ({ type: 'AmnestyGranted', data: { requestId, tribunal: null }, personal: null, facts: facts(day) }),
  amnestyDenied: (day: string, requestId = 'r1'): CaseEvent => ({
    type: 'AmnestyDenied',
    data: { requestId, reason: 'excluded offence', excludedOffence: 'corruption', tribunal: null },
    personal: null,
    facts: facts(day),
  }),
  hungerStrikeStarted: (day: string): CaseEvent => ({ type: 'HungerStrikeStarted', data: {}, personal: null, facts: facts(day) }),
  died: (day: string): CaseEvent => ({ type: 'DiedInCustody', data: { facility: null }, personal: null, facts: facts(day) }),
};

const base = (occurredOn: string) => ({ caseId: CASE_ID, facts: facts(occurredOn), personal: null });

export const cmd = {
  detain: (day: string): CaseCommand => ({ type: 'RecordDetention', ...base(day), data: { facility: 'El Helicoide', arrestingAuthority: 'SEBIN', charges: [] } }),
  release: (day: string, conditions: ReleaseConditions | null = null): CaseCommand => ({
    type: 'RecordRelease',
    ...base(day),
    data: { legalBasis: 'government_announcement', conditions, facility: null },
  }),
  liftConditions: (day: string): CaseCommand => ({ type: 'LiftConditions', ...base(day), data: { legalBasis: 'amnesty_law' } }),
  presentation: (day: string, outcome: 'attended' | 'missed' = 'attended'): CaseCommand => ({
    type: 'RecordPresentation',
    ...base(day),
    data: { outcome, court: null },
  }),
  reArrest: (day: string): CaseCommand => ({ type: 'RecordReArrest', ...base(day), data: { facility: null, arrestingAuthority: null, charges: [] } }),
  houseArrest: (day: string): CaseCommand => ({ type: 'RecordHouseArrest', ...base(day), data: { location: 'Maracaibo', orderedBy: null } }),
  disappear: (day: string): CaseCommand => ({ type: 'RecordDisappearance', ...base(day), data: { takenBy: 'unidentified armed men', lastSeenAt: null } }),
  whereabouts: (day: string, facility = 'Rodeo I'): CaseCommand => ({ type: 'RecordWhereabouts', ...base(day), data: { facility } }),
  transfer: (day: string, toFacility = 'Rodeo I'): CaseCommand => ({ type: 'RecordTransfer', ...base(day), data: { toFacility } }),
  charges: (day: string): CaseCommand => ({
    type: 'RecordCharges',
    ...base(day),
    data: { charges: ['treason'], excludedOffences: [], sentenced: false },
  }),
  requestAmnesty: (day: string, requestId = 'r1'): CaseCommand => ({
    type: 'RequestAmnesty',
    ...base(day),
    data: { requestId, filedBy: 'lawyer', tribunal: null },
  }),
  grantAmnesty: (day: string, requestId = 'r1'): CaseCommand => ({
    type: 'DecideAmnesty',
    ...base(day),
    data: { requestId, outcome: 'granted', tribunal: null },
  }),
  denyAmnesty: (day: string, requestId = 'r1'): CaseCommand => ({
    type: 'DecideAmnesty',
    ...base(day),
    data: { requestId, outcome: 'denied', tribunal: null, reason: 'excluded offence', excludedOffence: 'corruption' },
  }),
  appealAmnesty: (day: string, requestId = 'r1'): CaseCommand => ({ type: 'AppealAmnesty', ...base(day), data: { requestId, appealedBy: 'lawyer' } }),
  startHungerStrike: (day: string): CaseCommand => ({ type: 'StartHungerStrike', ...base(day), data: {} }),
  endHungerStrike: (day: string): CaseCommand => ({ type: 'EndHungerStrike', ...base(day), data: {} }),
  die: (day: string): CaseCommand => ({ type: 'RecordDeath', ...base(day), data: { facility: null } }),
  retract: (eventId: string, reason = 'source withdrew the report'): CaseCommand => ({ type: 'RetractEvent', caseId: CASE_ID, data: { eventId, reason } }),
  confirm: (eventId: string): CaseCommand => ({ type: 'ConfirmEvent', caseId: CASE_ID, data: { eventId, source: { kind: 'family', name: 'Sister', reference: null } } }),
};
