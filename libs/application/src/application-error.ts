/** One invalid input (body field, query parameter or header) and everything wrong with it. */
export interface FieldError {
  /** Dotted path (`source.kind`, `nationalities.0`) or header name (`If-Match`). */
  field: string;
  messages: string[];
}

/**
 * Failures of the application layer (HTTP inputs, concurrency, idempotency, infrastructure), as
 * opposed to the rules of the domain ({@link DomainError}). Their statuses are decided in
 * `error-status.ts`.
 */
export enum ApplicationErrorCode {
  /** The body, query or parameters break their schema; `errors` names every field. */
  ValidationFailed = 'VALIDATION_FAILED',
  /** A request header is malformed; `errors` names the header (`If-Match`, `Idempotency-Key`...). */
  InvalidHeader = 'INVALID_HEADER',
  /** `If-Match` names a version the resource is no longer at. */
  StaleVersion = 'STALE_VERSION',
  /** An `Idempotency-Key` already used for a different request. */
  IdempotencyKeyReused = 'IDEMPOTENCY_KEY_REUSED',
  /** The event store cannot be reached; worth retrying later. */
  StoreUnavailable = 'STORE_UNAVAILABLE',
  /** Another write reached the same resource first; reload and retry. */
  ConcurrentModification = 'CONCURRENT_MODIFICATION',
  /** No bearer token, or one that is unknown, revoked or expired. */
  Unauthenticated = 'UNAUTHENTICATED',
  /** The caller's role does not allow this route. */
  Forbidden = 'FORBIDDEN',
  /** A browser session (cookie) sent an unsafe request without the session's `X-CSRF-Token`. */
  CsrfTokenInvalid = 'CSRF_TOKEN_INVALID',
  /** Too many requests for this token, or too many failed authentications from this address; `details.retryAfterSeconds` says when to retry. */
  TooManyRequests = 'TOO_MANY_REQUESTS',
  /** No access token has this id. */
  AccessTokenNotFound = 'ACCESS_TOKEN_NOT_FOUND',
}

export interface ApplicationErrorOptions {
  errors?: FieldError[];
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class ApplicationError extends Error {
  readonly errors: FieldError[];
  readonly details: Record<string, unknown>;

  constructor(
    readonly code: ApplicationErrorCode,
    message: string,
    options: ApplicationErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ApplicationError';
    this.errors = options.errors ?? [];
    this.details = options.details ?? {};
  }

  /** Invalid input: the detail says how many fields failed, `errors` names each of them. */
  static validationFailed(errors: FieldError[]): ApplicationError {
    const count = errors.length;
    return new ApplicationError(
      ApplicationErrorCode.ValidationFailed,
      `The request has ${count} invalid field${count === 1 ? '' : 's'}.`,
      { errors },
    );
  }

  /** One or more malformed headers, each named as an invalid field (`If-Match`, `Idempotency-Key`...). */
  static invalidHeaders(errors: FieldError[]): ApplicationError {
    const names = errors.map((e) => e.field);
    const list = names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
    return new ApplicationError(
      ApplicationErrorCode.InvalidHeader,
      `The ${list} header${names.length === 1 ? ' is' : 's are'} invalid.`,
      { errors },
    );
  }
}
