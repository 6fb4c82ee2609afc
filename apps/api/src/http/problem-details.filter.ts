import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DomainError } from '#domain';
import { EventStoreError, WrongExpectedVersionError } from '#event-store';
import { ApplicationError, ApplicationErrorCode } from '#application';
import {
  applicationErrorStatus,
  domainErrorField,
  domainErrorStatus,
  eventStoreErrorMapping,
  INTERNAL_ERROR,
  isDatabaseUnavailable,
  RETRY_AFTER_SECONDS,
} from './error-status.js';
import {
  createHttpProblem,
  createProblem,
  type FieldError,
  httpStatusText,
  PROBLEM_CONTENT_TYPE,
  type ProblemDetails,
} from './problem-details.js';

/** The challenge of every 401 (RFC 6750). */
export const BEARER_CHALLENGE = 'Bearer realm="prisoner-case-tracker"';

/** Code of a request body that is not JSON. */
export const MALFORMED_JSON = 'MALFORMED_JSON';

/** The error body-parser (through http-errors) passes to `next()`: `entity.parse.failed`, `entity.too.large`... */
interface BodyParserError extends Error {
  status: number;
  type: string;
  expose?: boolean;
  limit?: number;
}

/** Express's request is a Node request with the URL as received (`url` is rewritten under mounts). */
type Request = IncomingMessage & { originalUrl?: string };

const INTERNAL_DETAIL = 'An unexpected error occurred. It has been logged; please try again later.';

/**
 * Answers every exception with an `application/problem+json` body (RFC 9457). Bad input never
 * gets a 500, and a 500 never tells what went wrong: the error is logged instead.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetailsFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<ServerResponse>();
    const instance = requestPath(request);
    const problem = this.toProblem(exception, instance);

    if (response.headersSent) {
      // Too late for a problem document: all that is left is to cut the response short.
      this.logger.error(`Error after the response to ${request.method} ${instance} had started`);
      response.end();
      return;
    }
    if (problem.status === 503) response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    // RFC 6750: a 401 names the scheme. Guards may have set a more precise challenge (error="invalid_token").
    if (problem.status === 401 && !response.hasHeader('WWW-Authenticate')) response.setHeader('WWW-Authenticate', BEARER_CHALLENGE);
    if (problem.status === 429 && !response.hasHeader('Retry-After')) {
      const seconds = problem.details?.['retryAfterSeconds'];
      response.setHeader('Retry-After', String(typeof seconds === 'number' && seconds > 0 ? Math.ceil(seconds) : 60));
    }
    const body = JSON.stringify(problem);
    response.statusCode = problem.status;
    response.setHeader('Content-Type', `${PROBLEM_CONTENT_TYPE}; charset=utf-8`);
    response.setHeader('Content-Length', Buffer.byteLength(body));
    response.end(request.method === 'HEAD' ? undefined : body);
  }

  /** The problem answering an exception (logging the ones that are our fault). */
  toProblem(exception: unknown, instance: string): ProblemDetails {
    if (exception instanceof DomainError) return fromDomainError(exception, instance);
    if (exception instanceof ApplicationError) return fromApplicationError(exception, instance);
    if (exception instanceof EventStoreError) return this.fromEventStoreError(exception, instance);
    if (exception instanceof HttpException) return this.fromHttpException(exception, instance);
    if (isBodyParserError(exception)) return this.fromBodyParserError(exception, instance);
    if (isDatabaseUnavailable(exception)) return this.unavailable(exception, instance);
    return this.internal(exception, instance);
  }

  /** A database that cannot be reached (read models, key store...): worth retrying, like an unavailable event store. */
  private unavailable(exception: unknown, instance: string): ProblemDetails {
    this.logger.warn(`Database unavailable: ${exception instanceof Error ? exception.message : safeString(exception)}`);
    return createProblem({
      status: 503,
      code: ApplicationErrorCode.StoreUnavailable,
      instance,
      detail: `The database is unavailable. Retry in ${RETRY_AFTER_SECONDS} seconds.`,
    });
  }

  private fromEventStoreError(error: EventStoreError, instance: string): ProblemDetails {
    const { status, code } = eventStoreErrorMapping(error.code);
    switch (status) {
      case 409: {
        const wrong = error instanceof WrongExpectedVersionError ? error : null;
        return createProblem({
          status,
          code,
          instance,
          detail: wrong
            ? `The resource was modified concurrently: it is at version ${wrong.actualVersion}, not ${wrong.expectedVersion}. Reload it and retry.`
            : 'The resource was modified concurrently. Reload it and retry.',
          details: wrong ? { expectedVersion: wrong.expectedVersion, actualVersion: wrong.actualVersion } : {},
        });
      }
      case 400:
        return createProblem({ status, code, instance, detail: 'The identifier in the request is not valid.' });
      case 503:
        this.logger.warn(`Event store unavailable: ${error.message}`);
        return createProblem({
          status,
          code,
          instance,
          detail: `The event store is unavailable. Retry in ${RETRY_AFTER_SECONDS} seconds.`,
        });
      case 500:
        return this.internal(error, instance);
    }
  }

  private fromHttpException(exception: HttpException, instance: string): ProblemDetails {
    // Nest's Express adapter wraps body-parser's 4xx errors; their cause says what went wrong.
    if (isBodyParserError(exception.cause)) return this.fromBodyParserError(exception.cause, instance);
    const status = exception.getStatus();
    if (status >= 500) {
      this.logger.error(exception.message, exception.stack);
      return createHttpProblem({ status, instance, detail: INTERNAL_DETAIL });
    }
    return createHttpProblem({ status, instance, detail: httpExceptionDetail(exception) });
  }

  private fromBodyParserError(error: BodyParserError, instance: string): ProblemDetails {
    switch (error.type) {
      case 'entity.parse.failed':
        return createProblem({ status: 400, code: MALFORMED_JSON, instance, detail: 'The request body is not valid JSON.' });
      case 'entity.too.large':
        return createHttpProblem({
          status: 413,
          instance,
          detail:
            typeof error.limit === 'number'
              ? `The request body is larger than the limit of ${error.limit} bytes.`
              : 'The request body is too large.',
        });
    }
    if (error.status < 400 || error.status >= 500) return this.internal(error, instance);
    return createHttpProblem({
      status: error.status,
      instance,
      detail: error.expose === false ? httpStatusText(error.status) : error.message,
    });
  }

  private internal(exception: unknown, instance: string): ProblemDetails {
    if (exception instanceof Error) this.logger.error(`${exception.name}: ${exception.message}`, exception.stack);
    else this.logger.error(`Non-error thrown: ${safeString(exception)}`);
    return createProblem({ status: 500, code: INTERNAL_ERROR, instance, detail: INTERNAL_DETAIL });
  }
}

function fromDomainError(error: DomainError, instance: string): ProblemDetails {
  const status = domainErrorStatus(error.code);
  const { field: detailField, ...details } = error.details;
  const field = typeof detailField === 'string' ? detailField : domainErrorField(error.code);
  const errors: FieldError[] = status === 400 && field !== null ? [{ field, messages: [error.message] }] : [];
  return createProblem({
    status,
    code: error.code,
    instance,
    detail: error.message,
    errors,
    // `field` leaves the details only when it went into `errors`.
    details: errors.length > 0 ? details : error.details,
  });
}

function fromApplicationError(error: ApplicationError, instance: string): ProblemDetails {
  return createProblem({
    status: applicationErrorStatus(error.code),
    code: error.code,
    instance,
    detail: error.message,
    errors: error.errors,
    details: error.details,
  });
}

/** The message of a 4xx HttpException: a string, or the strings Nest's own exceptions carry. */
function httpExceptionDetail(exception: HttpException): string {
  const body = exception.getResponse();
  if (typeof body === 'string') return body;
  if (typeof body === 'object' && body !== null && 'message' in body) {
    const { message } = body as { message: unknown };
    if (typeof message === 'string') return message;
    if (Array.isArray(message) && message.every((m) => typeof m === 'string')) return message.join('; ');
  }
  return exception.message;
}

function isBodyParserError(value: unknown): value is BodyParserError {
  return (
    value instanceof Error &&
    typeof (value as Partial<BodyParserError>).type === 'string' &&
    typeof (value as Partial<BodyParserError>).status === 'number'
  );
}

/** The path of the request, without its query string. */
function requestPath(request: Request): string {
  const url = request.originalUrl ?? request.url ?? '/';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return typeof value;
  }
}
