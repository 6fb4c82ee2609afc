import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApplicationError } from '#application';
import type { FieldError } from './problem-details.js';

/** Who asks for a command, and how it relates to other requests; read from the request headers. */
export interface CommandContext {
  /**
   * The authenticated caller: `token:<name>` of the bearer token (`anonymous` only where no
   * authentication ran). Never taken from a header: `X-Actor` is ignored.
   */
  actor: string;
  /** `X-Correlation-Id`, a new UUID when absent. */
  correlationId: string;
  /** `X-Causation-Id`: the message that caused this one, when the caller knows it. */
  causationId: string | null;
  /** `Idempotency-Key`: retrying with the same key must not apply the command twice. */
  idempotencyKey: string | null;
  /** The version in `If-Match` (`"3"` or `W/"3"`), the one the client last saw. */
  expectedVersion: number | null;
}

export const ANONYMOUS_ACTOR = 'anonymous';

const PRINTABLE_1_TO_200 = /^[\x20-\x7E]{1,200}$/;
const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,200}$/;
const ENTITY_TAG = /^(?:W\/)?"(0|[1-9][0-9]*)"$/;

/**
 * Reads the command context from request headers (names in lower case, as Node gives them) and the
 * authenticated actor. Every malformed header is reported at once, in one `INVALID_HEADER` error
 * naming each of them.
 */
export function parseCommandContext(
  headers: IncomingHttpHeaders,
  actor: string = ANONYMOUS_ACTOR,
  newCorrelationId: () => string = randomUUID,
): CommandContext {
  const errors: FieldError[] = [];
  const read = (name: string): string | undefined => {
    const value = headers[name.toLowerCase()];
    return Array.isArray(value) ? value.join(', ') : value;
  };
  const check = <T>(name: string, value: string | undefined, parse: (raw: string) => T | undefined, message: string): T | null => {
    if (value === undefined) return null;
    const parsed = parse(value);
    if (parsed === undefined) {
      errors.push({ field: name, messages: [message] });
      return null;
    }
    return parsed;
  };
  const matching = (pattern: RegExp) => (raw: string) => (pattern.test(raw) ? raw : undefined);

  const correlationId = check(
    'X-Correlation-Id',
    read('X-Correlation-Id'),
    matching(PRINTABLE_1_TO_200),
    'X-Correlation-Id must be 1 to 200 printable ASCII characters',
  );
  const causationId = check(
    'X-Causation-Id',
    read('X-Causation-Id'),
    matching(PRINTABLE_1_TO_200),
    'X-Causation-Id must be 1 to 200 printable ASCII characters',
  );
  const idempotencyKey = check(
    'Idempotency-Key',
    read('Idempotency-Key'),
    matching(IDEMPOTENCY_KEY),
    'Idempotency-Key must be 1 to 200 characters among A-Z, a-z, 0-9, ".", "_", ":" and "-"',
  );
  const expectedVersion = check('If-Match', read('If-Match'), parseEntityTag, 'If-Match must be a version as an entity tag, such as "3" or W/"3"');

  if (errors.length > 0) throw ApplicationError.invalidHeaders(errors);
  return {
    actor,
    correlationId: correlationId ?? newCorrelationId(),
    causationId,
    idempotencyKey,
    expectedVersion,
  };
}

function parseEntityTag(raw: string): number | undefined {
  const match = ENTITY_TAG.exec(raw);
  if (!match) return undefined;
  const version = Number(match[1]);
  return Number.isSafeInteger(version) ? version : undefined;
}

/** The actor of a request: its verified token's `token:<name>`, or `anonymous` where no authentication ran. */
export function actorOf(request: { auth?: { actor: string } }): string {
  return request.auth?.actor ?? ANONYMOUS_ACTOR;
}

/**
 * Parameter decorator giving a handler its {@link CommandContext}:
 * `create(@Body() body: OpenCaseDto, @CommandContext() context: CommandContext)`.
 */
export const CommandContext = createParamDecorator((_data: unknown, context: ExecutionContext): CommandContext => {
  const request = context.switchToHttp().getRequest<{ headers: IncomingHttpHeaders; auth?: { actor: string } }>();
  return parseCommandContext(request.headers, actorOf(request));
});
