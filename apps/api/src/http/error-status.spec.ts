import { DomainErrorCode } from '#domain';
import type { EventStoreErrorCode } from '#event-store';
import { ApplicationErrorCode } from '#application';
import {
  applicationErrorStatus,
  domainErrorField,
  domainErrorStatus,
  eventStoreErrorMapping,
  INTERNAL_ERROR,
  isDatabaseUnavailable,
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
      CSRF_TOKEN_INVALID: 403,
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

describe('isDatabaseUnavailable', () => {
  const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });
  /** TypeORM's QueryFailedError carries the driver's error as `driverError`. */
  const queryFailed = (driverError: unknown) => Object.assign(new Error('query failed'), { name: 'QueryFailedError', driverError });

  it.each<[string, unknown]>([
    ['a refused connection', withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['a reset connection', withCode('ECONNRESET')],
    ['PostgreSQL shutting down (57P01 admin_shutdown)', withCode('57P01', 'terminating connection due to administrator command')],
    ['PostgreSQL starting up (57P03)', withCode('57P03', 'the database system is starting up')],
    ['a connection exception (08006)', withCode('08006')],
    ['too many connections (53300)', withCode('53300')],
    ['node-postgres losing its connection', new Error('Connection terminated unexpectedly')],
    ['a pool connect timeout', new Error('timeout exceeded when trying to connect')],
    ['a driver error inside a TypeORM QueryFailedError', queryFailed(withCode('57P01'))],
    ['a socket error as the cause', new Error('lookup failed', { cause: withCode('ECONNREFUSED') })],
    ['an unreachable key store', Object.assign(new Error('the key store cannot be reached'), { name: 'CryptoError', code: 'KEY_STORE_UNAVAILABLE' })],
    ['a busy SQLite database', withCode('SQLITE_BUSY')],
  ])('is true for %s', (_label, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each<[string, unknown]>([
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'x')")],
    ['a syntax error in a query (42601)', queryFailed(withCode('42601', 'syntax error at or near "SELEC"'))],
    ['a unique violation (23505)', withCode('23505')],
    ['a wrong master key', Object.assign(new Error('wrong master key'), { name: 'CryptoError', code: 'WRONG_MASTER_KEY' })],
    ['a non-error', 'boom'],
    ['null', null],
  ])('is false for %s', (_label, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
