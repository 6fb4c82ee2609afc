import { ValidationPipe } from '@nestjs/common';
import * as classTransformer from 'class-transformer';
import * as classValidator from 'class-validator';
import type { ValidationError } from 'class-validator';
import { ApplicationError } from '#application';
import type { FieldError } from './problem-details.js';

/**
 * Flattens class-validator's tree of errors (nested objects, arrays) into one entry per invalid
 * field, named by its dotted path (`source.kind`, `nationalities.0`), sorted by path with array
 * indexes in numeric order. Entries for the same path are merged.
 */
export function flattenValidationErrors(errors: readonly ValidationError[]): FieldError[] {
  const byField = new Map<string, string[]>();
  const visit = (error: ValidationError, parent: string): void => {
    const field = parent === '' ? error.property : `${parent}.${error.property}`;
    const messages = Object.values(error.constraints ?? {});
    if (messages.length > 0) byField.set(field, [...(byField.get(field) ?? []), ...messages]);
    for (const child of error.children ?? []) visit(child, field);
  };
  for (const error of errors) visit(error, '');
  return [...byField]
    .map(([field, messages]) => ({ field, messages }))
    .sort((a, b) => comparePaths(a.field, b.field));
}

/** Orders dotted paths segment by segment, numeric segments by value (`items.2` before `items.10`). */
function comparePaths(a: string, b: string): number {
  const left = a.split('.');
  const right = b.split('.');
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const x = left[i];
    const y = right[i];
    if (x === y) continue;
    const numeric = /^\d+$/.test(x) && /^\d+$/.test(y);
    if (numeric) return Number(x) - Number(y);
    return x < y ? -1 : 1;
  }
  return left.length - right.length;
}

/**
 * The global validation pipe: unknown properties are rejected, payloads become DTO instances,
 * and a failure is an {@link ApplicationError} (`VALIDATION_FAILED`) naming every invalid field.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    // The same packages the DTOs are decorated with, rather than whatever a dynamic import finds.
    validatorPackage: classValidator,
    transformerPackage: classTransformer,
    exceptionFactory: (errors: ValidationError[]) => ApplicationError.validationFailed(flattenValidationErrors(errors)),
  });
}
