import type { DatePrecision } from '../shared/dates.js';

/**
 * The case event catalogue. Each event is identified by its stable `type` string and a
 * `schemaVersion`; class names never reach storage. Non-personal facts live in `data`;
 * anything that identifies or describes a person in their own words lives in `personal`,
 * which a later layer encrypts per person and can erase.
 */

export const SOURCE_KINDS = ['ngo', 'government', 'family', 'lawyer', 'media', 'international-body', 'other'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];
export interface Source {
  kind: SourceKind;
  name: string;
  reference?: string | null;
}

export const VERIFICATIONS = ['confirmed', 'reported'] as const;
export type Verification = (typeof VERIFICATIONS)[number];

/** When and on whose word: the facts every event carries about itself. */
export interface EventFacts {
  occurredOn: string;
  datePrecision: DatePrecision;
  source: Source | null;
  verification: Verification;
}

export const GENDERS = ['female', 'male', 'other', 'unknown'] as const;
export type Gender = (typeof GENDERS)[number];
export const AFFILIATIONS = ['civilian', 'military'] as const;
export type Affiliation = (typeof AFFILIATIONS)[number];

export const RELEASE_LEGAL_BASES = ['amnesty_law', 'government_announcement', 'court_order', 'sentence_served', 'other'] as const;
export type ReleaseLegalBasis = (typeof RELEASE_LEGAL_BASES)[number];

export const AMNESTY_FILERS = ['lawyer', 'person', 'prosecutor', 'defence'] as const;
export type AmnestyFiler = (typeof AMNESTY_FILERS)[number];

/** Offence categories that the 2026 amnesty law excludes. */
export const EXCLUDED_OFFENCES = [
  'homicide',
  'drug_trafficking',
  'corruption',
  'grave_human_rights_violations',
  'armed_actions_promoted_by_foreign_states',
] as const;
export type ExcludedOffence = (typeof EXCLUDED_OFFENCES)[number];

export const HOUSE_ARREST_ORIGINS = ['prison', 'release', 'disappearance'] as const;
export const PRESENTATION_OUTCOMES = ['attended', 'missed'] as const;
export type PresentationOutcome = (typeof PRESENTATION_OUTCOMES)[number];

export interface ReleaseConditions {
  /** Report to a court every N days (30 in the January 2026 releases). */
  reportEveryDays: number | null;
  speechRestriction: boolean;
  travelBan: boolean;
  other: string | null;
}

export interface FreeText {
  /** Circumstances in the caseworker's or witness's words: personal data. */
  notes?: string | null;
}

type Ev<T extends string, D, P = FreeText> = { type: T; data: D; personal: P | null; facts: EventFacts };

export type CaseOpened = Ev<
  'CaseOpened',
  {
    caseId: string;
    nameWithheld: boolean;
    nationalities: string[];
    gender: Gender;
    minor: boolean;
    affiliation: Affiliation;
    externalReference: string | null;
  },
  { fullName: string | null; birthYear: number | null; notes?: string | null }
>;
export type Detained = Ev<'Detained', { facility: string | null; arrestingAuthority: string | null; charges: string[] }>;
export type Released = Ev<
  'Released',
  { legalBasis: ReleaseLegalBasis; conditions: ReleaseConditions | null; facility: string | null }
>;
export type ConditionsLifted = Ev<'ConditionsLifted', { legalBasis: ReleaseLegalBasis | null }>;
export type PresentationRecorded = Ev<'PresentationRecorded', { outcome: PresentationOutcome; court: string | null }>;
export type ReArrested = Ev<'ReArrested', { facility: string | null; arrestingAuthority: string | null; charges: string[] }>;
export type HouseArrestImposed = Ev<'HouseArrestImposed', { location: string | null; orderedBy: string | null }>;
export type WhereaboutsUnknown = Ev<'WhereaboutsUnknown', { takenBy: string | null; lastSeenAt: string | null }>;
export type WhereaboutsConfirmed = Ev<'WhereaboutsConfirmed', { facility: string }>;
export type Transferred = Ev<'Transferred', { toFacility: string }>;
export type ChargesRecorded = Ev<'ChargesRecorded', { charges: string[]; excludedOffences: ExcludedOffence[]; sentenced: boolean }>;
export type AmnestyRequested = Ev<
  'AmnestyRequested',
  { requestId: string; filedBy: AmnestyFiler; tribunal: string | null },
  { lawyerName?: string | null; notes?: string | null }
>;
export type AmnestyGranted = Ev<'AmnestyGranted', { requestId: string; tribunal: string | null }>;
export type AmnestyDenied = Ev<
  'AmnestyDenied',
  { requestId: string; reason: string; excludedOffence: ExcludedOffence | null; tribunal: string | null }
>;
export type AmnestyAppealed = Ev<'AmnestyAppealed', { requestId: string; appealedBy: AmnestyFiler }>;
export type HungerStrikeStarted = Ev<'HungerStrikeStarted', Record<string, never>>;
export type HungerStrikeEnded = Ev<'HungerStrikeEnded', Record<string, never>>;
export type DiedInCustody = Ev<'DiedInCustody', { facility: string | null }>;
export type EventRetracted = Ev<'EventRetracted', { retractedEventId: string; reason: string }>;
export type EventConfirmed = Ev<'EventConfirmed', { confirmedEventId: string; confirmingSource: Source }>;
/**
 * The person's personal data was erased: their data key is destroyed, so every `personal` member of
 * the case reads as erased from then on. About the record, not the world: it never enters the
 * timeline, carries no personal data, and cannot be retracted. `reason` is stored in clear and
 * hashed for good: it must not itself identify the person.
 */
export type PersonalDataErased = Ev<'PersonalDataErased', { reason: string }, never>;

export type CaseEvent =
  | CaseOpened
  | Detained
  | Released
  | ConditionsLifted
  | PresentationRecorded
  | ReArrested
  | HouseArrestImposed
  | WhereaboutsUnknown
  | WhereaboutsConfirmed
  | Transferred
  | ChargesRecorded
  | AmnestyRequested
  | AmnestyGranted
  | AmnestyDenied
  | AmnestyAppealed
  | HungerStrikeStarted
  | HungerStrikeEnded
  | DiedInCustody
  | EventRetracted
  | EventConfirmed
  | PersonalDataErased;

export type CaseEventType = CaseEvent['type'];
export type CaseEventOf<T extends CaseEventType> = Extract<CaseEvent, { type: T }>;

/** Current schema version of each event type; events written today carry it. */
export const CASE_EVENT_SCHEMA_VERSIONS: { readonly [T in CaseEventType]: number } = {
  CaseOpened: 1,
  Detained: 1,
  Released: 1,
  ConditionsLifted: 1,
  PresentationRecorded: 1,
  ReArrested: 1,
  HouseArrestImposed: 1,
  WhereaboutsUnknown: 1,
  WhereaboutsConfirmed: 1,
  Transferred: 1,
  ChargesRecorded: 1,
  AmnestyRequested: 1,
  AmnestyGranted: 1,
  AmnestyDenied: 1,
  AmnestyAppealed: 1,
  HungerStrikeStarted: 1,
  HungerStrikeEnded: 1,
  DiedInCustody: 1,
  EventRetracted: 1,
  EventConfirmed: 1,
  PersonalDataErased: 1,
};
export const CASE_EVENT_TYPES = Object.keys(CASE_EVENT_SCHEMA_VERSIONS) as CaseEventType[];

export function isCaseEventType(type: string): type is CaseEventType {
  return Object.prototype.hasOwnProperty.call(CASE_EVENT_SCHEMA_VERSIONS, type);
}

/** An event as the store returned it: the domain event plus where and when it was recorded. */
export type RecordedCaseEvent = CaseEvent & {
  eventId: string;
  version: number;
  position: number;
  recordedAt: string;
};

/**
 * Corrections are about the record, not the world: they never enter the timeline. An erasure of
 * personal data is one too (it changes what the record can tell, never what happened).
 */
export const CORRECTION_TYPES = ['EventRetracted', 'EventConfirmed', 'PersonalDataErased'] as const;
export function isCorrection(e: CaseEvent): e is EventRetracted | EventConfirmed | PersonalDataErased {
  return e.type === 'EventRetracted' || e.type === 'EventConfirmed' || e.type === 'PersonalDataErased';
}

/** The erasure of the case's personal data, if one was recorded. */
export function erasureOf(events: readonly RecordedCaseEvent[]): Extract<RecordedCaseEvent, { type: 'PersonalDataErased' }> | null {
  return (events.find((e) => e.type === 'PersonalDataErased') as Extract<RecordedCaseEvent, { type: 'PersonalDataErased' }> | undefined) ?? null;
}
