/**
 * Domain errors carry a stable string code; the HTTP layer maps each code to a status in one
 * exhaustive mapper, so adding a code without deciding its status fails to compile.
 */
export enum DomainErrorCode {
  CaseNotFound = 'CASE_NOT_FOUND',
  CaseAlreadyOpened = 'CASE_ALREADY_OPENED',
  TransitionNotAllowed = 'TRANSITION_NOT_ALLOWED',
  NotInCustody = 'NOT_IN_CUSTODY',
  AlreadyInCustody = 'ALREADY_IN_CUSTODY',
  NotYetDetained = 'NOT_YET_DETAINED',
  AlreadyDetainedOnce = 'ALREADY_DETAINED_ONCE',
  CaseClosedByDeath = 'CASE_CLOSED_BY_DEATH',
  BeforeFirstDetention = 'BEFORE_FIRST_DETENTION',
  OccurredInFuture = 'OCCURRED_IN_FUTURE',
  InvalidDate = 'INVALID_DATE',
  NoReportingObligation = 'NO_REPORTING_OBLIGATION',
  AlreadyOnHungerStrike = 'ALREADY_ON_HUNGER_STRIKE',
  NotOnHungerStrike = 'NOT_ON_HUNGER_STRIKE',
  AmnestyRequestNotFound = 'AMNESTY_REQUEST_NOT_FOUND',
  AmnestyRequestAlreadyExists = 'AMNESTY_REQUEST_ALREADY_EXISTS',
  AmnestyAlreadyDecided = 'AMNESTY_ALREADY_DECIDED',
  AmnestyNotDecided = 'AMNESTY_NOT_DECIDED',
  AmnestyNotEligibleNow = 'AMNESTY_NOT_ELIGIBLE_NOW',
  DecisionBeforeRequest = 'DECISION_BEFORE_REQUEST',
  EventNotFound = 'EVENT_NOT_FOUND',
  EventNotCorrectable = 'EVENT_NOT_CORRECTABLE',
  EventAlreadyRetracted = 'EVENT_ALREADY_RETRACTED',
  EventAlreadyConfirmed = 'EVENT_ALREADY_CONFIRMED',
  TimelineConflict = 'TIMELINE_CONFLICT',
  /** The person's personal data was erased: it cannot be erased again, nor new personal data recorded. */
  PersonalDataErased = 'PERSONAL_DATA_ERASED',
}

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** Machine-readable facts about the rejection (statuses, event ids, dates). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
