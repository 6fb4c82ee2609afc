import type { ValidationError } from 'class-validator';
import { ApplicationError, ApplicationErrorCode } from '#application';
import { createValidationPipe, flattenValidationErrors } from './validation.js';

const error = (property: string, constraints?: Record<string, string>, children: ValidationError[] = []): ValidationError => ({
  property,
  constraints,
  children,
});

describe('flattenValidationErrors', () => {
  it('names nested and array fields by their path, sorted, with array indexes in numeric order', () => {
    const errors = [
      error('source', undefined, [error('name', { isString: 'name must be a string' }), error('kind', { isEnum: 'kind bad' })]),
      error('items', undefined, [
        error('10', undefined, [error('x', { isInt: 'x must be an integer number' })]),
        error('2', { nestedValidation: 'each value in nested property items must be either object or array' }),
      ]),
      error('conditions', { isObject: 'conditions must be an object' }, [error('reportEveryDays', { min: 'too small' })]),
      error('nationalities', undefined, [error('0', { isString: 'must be a string' })]),
    ];
    expect(flattenValidationErrors(errors)).toEqual([
      { field: 'conditions', messages: ['conditions must be an object'] },
      { field: 'conditions.reportEveryDays', messages: ['too small'] },
      { field: 'items.2', messages: ['each value in nested property items must be either object or array'] },
      { field: 'items.10.x', messages: ['x must be an integer number'] },
      { field: 'nationalities.0', messages: ['must be a string'] },
      { field: 'source.kind', messages: ['kind bad'] },
      { field: 'source.name', messages: ['name must be a string'] },
    ]);
  });

  it('keeps every message of a field and merges repeated fields', () => {
    expect(
      flattenValidationErrors([
        error('a', { isString: 'a must be a string', isNotEmpty: 'a should not be empty' }),
        error('a', { whitelistValidation: 'again' }),
      ]),
    ).toEqual([{ field: 'a', messages: ['a must be a string', 'a should not be empty', 'again'] }]);
  });
});

describe('createValidationPipe', () => {
  it('throws VALIDATION_FAILED saying how many fields failed', () => {
    const pipe = createValidationPipe();
    const factory = (pipe as unknown as { exceptionFactory: (e: ValidationError[]) => unknown }).exceptionFactory;
    const thrown = factory([error('a', { x: 'a is bad' }), error('b', undefined, [error('c', { y: 'c is bad' })])]);
    expect(thrown).toBeInstanceOf(ApplicationError);
    expect(thrown).toMatchObject({
      code: ApplicationErrorCode.ValidationFailed,
      message: 'The request has 2 invalid fields.',
      errors: [
        { field: 'a', messages: ['a is bad'] },
        { field: 'b.c', messages: ['c is bad'] },
      ],
    });
    expect((factory([error('a', { x: 'a is bad' })]) as Error).message).toBe('The request has 1 invalid field.');
  });
});
