import { createHttpProblem, createProblem, httpStatusCode, problemTypeFor, titleFromCode } from './problem-details.js';

describe('problem details helpers', () => {
  it('derives the type URI from the code', () => {
    expect(problemTypeFor('CASE_NOT_FOUND')).toBe('https://prisoner-case-tracker.invalid/problems/case-not-found');
  });

  it.each([
    ['CASE_NOT_FOUND', 'Case not found'],
    ['MALFORMED_JSON', 'Malformed JSON'],
    ['INVALID_STREAM_ID', 'Invalid stream ID'],
    ['INTERNAL_ERROR', 'Internal error'],
  ])('titles %s as %s', (code, title) => {
    expect(titleFromCode(code)).toBe(title);
  });

  it.each([
    [404, 'NOT_FOUND'],
    [405, 'METHOD_NOT_ALLOWED'],
    [413, 'PAYLOAD_TOO_LARGE'],
    [415, 'UNSUPPORTED_MEDIA_TYPE'],
    [509, 'BANDWIDTH_LIMIT_EXCEEDED'],
    [599, 'HTTP_599'],
  ])('names status %i %s', (status, code) => {
    expect(httpStatusCode(status)).toBe(code);
  });

  it('builds a problem of our own, leaving out empty errors and details', () => {
    expect(createProblem({ status: 409, code: 'CASE_ALREADY_OPENED', detail: 'd', instance: '/api/cases/1', errors: [], details: {} })).toEqual({
      type: 'https://prisoner-case-tracker.invalid/problems/case-already-opened',
      title: 'Case already opened',
      status: 409,
      detail: 'd',
      instance: '/api/cases/1',
      code: 'CASE_ALREADY_OPENED',
    });
  });

  it('builds a plain HTTP problem as about:blank titled with the reason phrase', () => {
    expect(createHttpProblem({ status: 405, detail: 'no', instance: '/x' })).toEqual({
      type: 'about:blank',
      title: 'Method Not Allowed',
      status: 405,
      detail: 'no',
      instance: '/x',
      code: 'METHOD_NOT_ALLOWED',
    });
  });
});
