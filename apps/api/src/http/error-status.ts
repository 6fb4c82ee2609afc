import { DomainErrorCode } from '#domain';
import type { EventStoreErrorCode } from '#event-store';
import { ApplicationErrorCode } from '#application';

/**
 * The one place where error codes become HTTP statuses. Each switch is exhaustive: adding a code
 * to an enum without deciding its status here fails to compile.
 */

/** Statuses a domain or application error may have. */
export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 412 | 422 | 429 | 503;

/** Code of the problem answered for an unexpected failure (always 500, never with its message). */
export const INTERNAL_ERROR = 'INTERNAL_ERROR';

/** Seconds a client should wait before retrying a 503. */
export const RETRY_AFTER_SECONDS = 5;

export function domainErrorStatus(code: DomainErrorCode): ProblemStatus {
  switch (code) {
    case DomainErrorCode.CaseNotFound:
    case DomainErrorCode.AmnestyRequestNotFound:
    case DomainErrorCode.EventNotFound:
      return 404;
    case DomainErrorCode.OccurredInFuture:
    case DomainErrorCode.InvalidDate:
      return 400;
    case DomainErrorCode.CaseAlreadyOpened:
    case DomainErrorCode.TransitionNotAllowed:
    case DomainErrorCode.NotInCustody:
    case DomainErrorCode.AlreadyInCustody:
    case DomainErrorCode.NotYetDetained:
    case DomainErrorCode.AlreadyDetainedOnce:
    case DomainErrorCode.CaseClosedByDeath:
    case DomainErrorCode.BeforeFirstDetention:
    case DomainErrorCode.NoReportingObligation:
    case DomainErrorCode.AlreadyOnHungerStrike:
    case DomainErrorCode.NotOnHungerStrike:
    case DomainErrorCode.AmnestyRequestAlreadyExists:
    case DomainErrorCode.AmnestyAlreadyDecided:
    case DomainErrorCode.AmnestyNotDecided:
    case DomainErrorCode.AmnestyNotEligibleNow:
    case DomainErrorCode.DecisionBeforeRequest:
    case DomainErrorCode.EventNotCorrectable:
    case DomainErrorCode.EventAlreadyRetracted:
    case DomainErrorCode.EventAlreadyConfirmed:
    case DomainErrorCode.TimelineConflict:
    case DomainErrorCode.PersonalDataErased:
      return 409;
    default: {
      const _exhaustive: never = code;
      return _exhaustive;
    }
  }
}

/**
 * The input field a domain error is about, for the codes that reject a field rather than the
 * state of the case (their problem lists it in `errors`); `null` for the others. A `field` in the
 * error's details wins over this default.
 */
export function domainErrorField(code: DomainErrorCode): string | null {
  switch (code) {
    case DomainErrorCode.OccurredInFuture:
    case DomainErrorCode.InvalidDate:
      return 'occurredOn';
    default:
      return null;
  }
}

export function applicationErrorStatus(code: ApplicationErrorCode): ProblemStatus {
  switch (code) {
    case ApplicationErrorCode.ValidationFailed:
    case ApplicationErrorCode.InvalidHeader:
      return 400;
    case ApplicationErrorCode.Unauthenticated:
      return 401;
    case ApplicationErrorCode.Forbidden:
    case ApplicationErrorCode.CsrfTokenInvalid:
      return 403;
    case ApplicationErrorCode.AccessTokenNotFound:
      return 404;
    case ApplicationErrorCode.ConcurrentModification:
      return 409;
    case ApplicationErrorCode.StaleVersion:
      return 412;
    case ApplicationErrorCode.IdempotencyKeyReused:
      return 422;
    case ApplicationErrorCode.TooManyRequests:
      return 429;
    case ApplicationErrorCode.StoreUnavailable:
      return 503;
    default: {
      const _exhaustive: never = code;
      return _exhaustive;
    }
  }
}

export interface StoreErrorMapping {
  status: 400 | 409 | 500 | 503;
  code: string;
}

/**
 * How an event-store failure is answered. A wrong expected version is a lost race (409); a
 * malformed stream id comes from the request (400); an invalid append is a bug of ours (500).
 */
export function eventStoreErrorMapping(code: EventStoreErrorCode): StoreErrorMapping {
  switch (code) {
    case 'WRONG_EXPECTED_VERSION':
      return { status: 409, code: ApplicationErrorCode.ConcurrentModification };
    case 'INVALID_STREAM_ID':
      return { status: 400, code: 'INVALID_STREAM_ID' };
    case 'INVALID_APPEND':
      return { status: 500, code: INTERNAL_ERROR };
    case 'STORE_UNAVAILABLE':
      return { status: 503, code: ApplicationErrorCode.StoreUnavailable };
    default: {
      const _exhaustive: never = code;
      return _exhaustive;
    }
  }
}
