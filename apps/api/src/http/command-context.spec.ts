import { ApplicationError, ApplicationErrorCode } from '#application';
import { parseCommandContext } from './command-context.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function rejection(headers: Record<string, string>): ApplicationError {
  try {
    parseCommandContext(headers);
  } catch (error) {
    if (error instanceof ApplicationError) return error;
    throw error;
  }
  throw new Error('expected the headers to be rejected');
}

describe('parseCommandContext', () => {
  it('defaults every header', () => {
    const context = parseCommandContext({}, undefined, () => 'generated-id');
    expect(context).toEqual({
      actor: 'anonymous',
      correlationId: 'generated-id',
      causationId: null,
      idempotencyKey: null,
      expectedVersion: null,
    });
  });

  it('generates a random UUID as correlation id by default', () => {
    const first = parseCommandContext({}).correlationId;
    const second = parseCommandContext({}).correlationId;
    expect(first).toMatch(UUID);
    expect(second).toMatch(UUID);
    expect(first).not.toBe(second);
  });

  it('reads every header, and takes the actor from authentication, never from X-Actor', () => {
    expect(
      parseCommandContext(
        {
          'x-actor': 'maria@example.org',
          'x-correlation-id': 'corr-1',
          'x-causation-id': 'cause-1',
          'idempotency-key': 'key_1.a:b-c',
          'if-match': '"12"',
        },
        'token:ana',
      ),
    ).toEqual({
      actor: 'token:ana',
      correlationId: 'corr-1',
      causationId: 'cause-1',
      idempotencyKey: 'key_1.a:b-c',
      expectedVersion: 12,
    });
  });

  it.each([
    ['"0"', 0],
    ['"7"', 7],
    ['W/"7"', 7],
    ['"9007199254740991"', Number.MAX_SAFE_INTEGER],
  ])('reads If-Match %s as version %i', (header, version) => {
    expect(parseCommandContext({ 'if-match': header }).expectedVersion).toBe(version);
  });

  it.each(['7', '"-1"', '"1.5"', '"07"', '*', 'W/7', '"7', '"abc"', '"1", "2"', '""', '"9007199254740992"', 'w/"7"'])(
    'rejects If-Match %s, naming the header',
    (header) => {
      const error = rejection({ 'if-match': header });
      expect(error.code).toBe(ApplicationErrorCode.InvalidHeader);
      expect(error.message).toBe('The If-Match header is invalid.');
      expect(error.errors).toEqual([
        { field: 'If-Match', messages: ['If-Match must be a version as an entity tag, such as "3" or W/"3"'] },
      ]);
    },
  );

  it.each([
    ['x-correlation-id', 'X-Correlation-Id', 'bell\u0007'],
    ['x-causation-id', 'X-Causation-Id', 'tab\there'],
    ['x-correlation-id', 'X-Correlation-Id', 'c'.repeat(201)],
    ['x-correlation-id', 'X-Correlation-Id', ''],
    ['x-causation-id', 'X-Causation-Id', 'del\u007f'],
    ['idempotency-key', 'Idempotency-Key', ''],
    ['idempotency-key', 'Idempotency-Key', 'has space'],
    ['idempotency-key', 'Idempotency-Key', 'k'.repeat(201)],
    ['idempotency-key', 'Idempotency-Key', 'slash/no'],
  ])('rejects %s %j', (header, name, value) => {
    const error = rejection({ [header]: value });
    expect(error.code).toBe(ApplicationErrorCode.InvalidHeader);
    expect(error.errors.map((e) => e.field)).toEqual([name]);
  });

  it('accepts the longest allowed values', () => {
    const context = parseCommandContext({
      'x-causation-id': 'a'.repeat(200),
      'x-correlation-id': 'c'.repeat(200),
      'idempotency-key': 'k'.repeat(200),
    });
    expect([context.causationId?.length, context.correlationId.length, context.idempotencyKey?.length]).toEqual([200, 200, 200]);
  });

  it('ignores X-Actor entirely, even when malformed', () => {
    expect(parseCommandContext({ 'x-actor': '' }).actor).toBe('anonymous');
    expect(parseCommandContext({ 'x-actor': 'bell\u0007' }, 'token:jose').actor).toBe('token:jose');
  });

  it('names every invalid header at once', () => {
    const error = rejection({ 'x-correlation-id': '', 'idempotency-key': 'no way', 'if-match': 'latest' });
    expect(error.message).toBe('The X-Correlation-Id, Idempotency-Key and If-Match headers are invalid.');
    expect(error.errors.map((e) => e.field)).toEqual(['X-Correlation-Id', 'Idempotency-Key', 'If-Match']);
  });
});
