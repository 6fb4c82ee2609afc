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

/**
 * Whether an error thrown outside the event store (read models through TypeORM, the key store,
 * token lookups) means "the database cannot be used now", so that it is answered like an
 * unavailable event store (503 with Retry-After) rather than as a bug (500). Looks through
 * `cause` and TypeORM's `driverError`. Connection-level only: a failed query is still a 500.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 5) return false;
  const { code, name, message, cause, driverError } = error as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown; driverError?: unknown };
  if (name === 'CryptoError' && code === 'KEY_STORE_UNAVAILABLE') return true;
  if (name === 'EventStoreError' && code === 'STORE_UNAVAILABLE') return true;
  if (typeof code === 'string') {
    // SQLSTATE classes: 08 connection exception, 53 insufficient resources, 57 operator
    // intervention (57P01 admin shutdown, 57P03 cannot connect now), 58 system error.
    if (/^(08|53|57|58)[0-9A-Z]{3}$/.test(code)) return true;
    // Socket errors: ECONNREFUSED, ECONNRESET, ETIMEDOUT, EPIPE, EAI_AGAIN...; SQLite's busy/locked.
    if (/^(E[A-Z_]+|SQLITE_BUSY.*|SQLITE_LOCKED.*)$/.test(code)) return true;
  }
  if (typeof message === 'string' && /connection terminated|timeout exceeded when trying to connect|cannot use a pool after calling end|client has encountered a connection error|connection is not queryable|the database system is (starting up|shutting down)/i.test(message)) {
    return true;
  }
  return isDatabaseUnavailable(driverError, depth + 1) || isDatabaseUnavailable(cause, depth + 1);
}
