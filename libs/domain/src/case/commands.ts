import type {
  AmnestyAppealed,
  AmnestyRequested,
  CaseOpened,
  ChargesRecorded,
  ConditionsLifted,
  Detained,
  DiedInCustody,
  EventFacts,
  ExcludedOffence,
  HouseArrestImposed,
  HungerStrikeEnded,
  HungerStrikeStarted,
  PresentationRecorded,
  ReArrested,
  Released,
  Source,
  Transferred,
  WhereaboutsConfirmed,
  WhereaboutsUnknown,
} from './events.js';

/** A command that records one world event: the event's own payload plus the facts about it. */
type Record_<T extends string, E extends { data: unknown; personal: unknown }> = {
  type: T;
  caseId: string;
  facts: EventFacts;
  data: E['data'];
  personal: E['personal'];
};

/** Opening is about the record: it is dated the day it is made, on the word of `source`. */
export type OpenCase = {
  type: 'OpenCase';
  caseId: string;
  source: Source | null;
  data: Omit<CaseOpened['data'], 'caseId'>;
  personal: CaseOpened['personal'];
  firstDetention: { facts: EventFacts; data: Detained['data']; personal: Detained['personal'] } | null;
};
export type RecordDetention = Record_<'RecordDetention', Detained>;
export type RecordRelease = Record_<'RecordRelease', Released>;
export type LiftConditions = Record_<'LiftConditions', ConditionsLifted>;
export type RecordPresentation = Record_<'RecordPresentation', PresentationRecorded>;
export type RecordReArrest = Record_<'RecordReArrest', ReArrested>;
export type RecordHouseArrest = Record_<'RecordHouseArrest', HouseArrestImposed>;
export type RecordDisappearance = Record_<'RecordDisappearance', WhereaboutsUnknown>;
export type RecordWhereabouts = Record_<'RecordWhereabouts', WhereaboutsConfirmed>;
export type RecordTransfer = Record_<'RecordTransfer', Transferred>;
export type RecordCharges = Record_<'RecordCharges', ChargesRecorded>;
export type RequestAmnesty = Record_<'RequestAmnesty', AmnestyRequested>;
export type DecideAmnesty = {
  type: 'DecideAmnesty';
  caseId: string;
  facts: EventFacts;
  data:
    | { requestId: string; outcome: 'granted'; tribunal: string | null }
    | { requestId: string; outcome: 'denied'; tribunal: string | null; reason: string; excludedOffence: ExcludedOffence | null };
  personal: { notes?: string | null } | null;
};
export type AppealAmnesty = Record_<'AppealAmnesty', AmnestyAppealed>;
export type StartHungerStrike = Record_<'StartHungerStrike', HungerStrikeStarted>;
export type EndHungerStrike = Record_<'EndHungerStrike', HungerStrikeEnded>;
export type RecordDeath = Record_<'RecordDeath', DiedInCustody>;
/** Corrections concern the record, so they carry no valid time of their own: it is the day they are made. */
export type RetractEvent = { type: 'RetractEvent'; caseId: string; data: { eventId: string; reason: string } };
export type ConfirmEvent = { type: 'ConfirmEvent'; caseId: string; data: { eventId: string; source: Source } };
/** Erases the person's personal data (the application destroys their data key); `reason` must not identify them. */
export type ErasePersonalData = { type: 'ErasePersonalData'; caseId: string; data: { reason: string } };

export type CaseCommand =
  | OpenCase
  | RecordDetention
  | RecordRelease
  | LiftConditions
  | RecordPresentation
  | RecordReArrest
  | RecordHouseArrest
  | RecordDisappearance
  | RecordWhereabouts
  | RecordTransfer
  | RecordCharges
  | RequestAmnesty
  | DecideAmnesty
  | AppealAmnesty
  | StartHungerStrike
  | EndHungerStrike
  | RecordDeath
  | RetractEvent
  | ConfirmEvent
  | ErasePersonalData;

export type CaseCommandType = CaseCommand['type'];
