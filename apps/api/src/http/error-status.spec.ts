import { DomainErrorCode } from '#domain';
import type { EventStoreErrorCode } from '#event-store';
import { ApplicationErrorCode } from '#application';
import {
  applicationErrorStatus,
  domainErrorField,
  domainErrorStatus,
  eventStoreErrorMapping,
  INTERNAL_ERROR,
} from './error-status.js';

const ALLOWED = [400, 401, 403, 404, 409, 412, 422, 429, 503];
/** The rules of the domain never decide who may call: no 401, 403 or 429 for them. */
const DOMAIN_ALLOWED = [400, 404, 409, 412, 422, 503];

describe('domainErrorStatus', () => {
  it.each(Object.values(DomainErrorCode))('maps %s to an allowed status', (code) => {
    expect(DOMAIN_ALLOWED).toContain(domainErrorStatus(code));
  });

  it.each([DomainErrorCode.CaseNotFound, DomainErrorCode.AmnestyRequestNotFound, DomainErrorCode.EventNotFound])(
    'answers %s with 404',
    (code) => expect(domainErrorStatus(code)).toBe(404),
  );

  it.each([DomainErrorCode.OccurredInFuture, DomainErrorCode.InvalidDate])('answers %s with 400 about occurredOn', (code) => {
    expect(domainErrorStatus(code)).toBe(400);
    expect(domainErrorField(code)).toBe('occurredOn');
  });

  it('answers every other domain rejection with 409 and no field', () => {
    const others = Object.values(DomainErrorCode).filter(
      (code) =>
        ![
          DomainErrorCode.CaseNotFound,
          DomainErrorCode.AmnestyRequestNotFound,
          DomainErrorCode.EventNotFound,
          DomainErrorCode.OccurredInFuture,
          DomainErrorCode.InvalidDate,
        ].includes(code),
    );
    expect(others.length).toBeGreaterThan(0);
    for (const code of others) {
      expect([code, domainErrorStatus(code)]).toEqual([code, 409]);
      expect([code, domainErrorField(code)]).toEqual([code, null]);
    }
  });
});

describe('applicationErrorStatus', () => {
  it.each(Object.values(ApplicationErrorCode))('maps %s to an allowed status', (code) => {
    expect(ALLOWED).toContain(applicationErrorStatus(code));
  });

  it('decides each status', () => {
    const statuses = Object.fromEntries(Object.values(ApplicationErrorCode).map((c) => [c, applicationErrorStatus(c)]));
    expect(statuses).toEqual({
      VALIDATION_FAILED: 400,
      INVALID_HEADER: 400,
      STALE_VERSION: 412,
      IDEMPOTENCY_KEY_REUSED: 422,
      STORE_UNAVAILABLE: 503,
      CONCURRENT_MODIFICATION: 409,
      UNAUTHENTICATED: 401,
      FORBIDDEN: 403,
      TOO_MANY_REQUESTS: 429,
      ACCESS_TOKEN_NOT_FOUND: 404,
    });
  });
});

describe('eventStoreErrorMapping', () => {
  it.each<[EventStoreErrorCode, number, string]>([
    ['WRONG_EXPECTED_VERSION', 409, 'CONCURRENT_MODIFICATION'],
    ['INVALID_STREAM_ID', 400, 'INVALID_STREAM_ID'],
    ['INVALID_APPEND', 500, INTERNAL_ERROR],
    ['STORE_UNAVAILABLE', 503, 'STORE_UNAVAILABLE'],
  ])('answers %s with %i %s', (code, status, problemCode) => {
    expect(eventStoreErrorMapping(code)).toEqual({ status, code: problemCode });
  });
});
