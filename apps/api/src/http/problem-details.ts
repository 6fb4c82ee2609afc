import { STATUS_CODES } from 'node:http';
import { HttpStatus } from '@nestjs/common';

/** Media type of every error response (RFC 9457). */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Base of the `type` URIs of this API's own problems. `.invalid` never resolves, by design (RFC 2606). */
export const PROBLEM_TYPE_BASE = 'https://prisoner-case-tracker.invalid/problems/';

import type { FieldError } from '#application';
export type { FieldError };

/** Body of an `application/problem+json` response (RFC 9457) with this API's extension members. */
export interface ProblemDetails {
  /** URI identifying the kind of problem, or `about:blank` for a plain HTTP error. */
  type: string;
  /** Short summary of the kind of problem; the same for every occurrence of a `type`. */
  title: string;
  status: number;
  /** Explanation of this occurrence, for humans. */
  detail: string;
  /** Path of the request that failed. */
  instance: string;
  /** Stable machine-readable code (`CASE_NOT_FOUND`, `VALIDATION_FAILED`, `NOT_FOUND`...). */
  code: string;
  /** Every invalid input, when the problem is about invalid inputs. */
  errors?: FieldError[];
  /** Machine-readable facts about the rejection (statuses, versions, event ids...). */
  details?: Record<string, unknown>;
}

/** `CASE_NOT_FOUND` → `https://prisoner-case-tracker.invalid/problems/case-not-found`. */
export function problemTypeFor(code: string): string {
  return PROBLEM_TYPE_BASE + code.toLowerCase().replace(/_/g, '-');
}

const ACRONYMS = new Set(['json', 'id', 'http', 'url', 'uuid']);

/** `CASE_NOT_FOUND` → `Case not found`, `MALFORMED_JSON` → `Malformed JSON`. */
export function titleFromCode(code: string): string {
  const words = code
    .toLowerCase()
    .split('_')
    .filter((word) => word !== '')
    .map((word) => (ACRONYMS.has(word) ? word.toUpperCase() : word));
  const title = words.join(' ');
  return title.charAt(0).toUpperCase() + title.slice(1);
}

/** The reason phrase of a status (`Not Found`), as the title of an `about:blank` problem. */
export function httpStatusText(status: number): string {
  return STATUS_CODES[status] ?? 'Unknown Error';
}

/** The code of a plain HTTP error: `404` → `NOT_FOUND`, `413` → `PAYLOAD_TOO_LARGE`. */
export function httpStatusCode(status: number): string {
  const name = (HttpStatus as unknown as Record<number, string | undefined>)[status];
  if (name) return name;
  const text = STATUS_CODES[status];
  return text ? text.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_|_$/g, '') : `HTTP_${status}`;
}

export interface ProblemInput {
  status: number;
  code: string;
  detail: string;
  instance: string;
  errors?: FieldError[];
  details?: Record<string, unknown>;
}

/** A problem of this API's own: its `type` is a URI derived from the code, its title the humanised code. */
export function createProblem(input: ProblemInput): ProblemDetails {
  return build(problemTypeFor(input.code), titleFromCode(input.code), input);
}

/** A plain HTTP error (`about:blank`): its title is the status's reason phrase, its code the status's name. */
export function createHttpProblem(input: Omit<ProblemInput, 'code'> & { code?: string }): ProblemDetails {
  return build('about:blank', httpStatusText(input.status), { ...input, code: input.code ?? httpStatusCode(input.status) });
}

function build(type: string, title: string, input: ProblemInput): ProblemDetails {
  const problem: ProblemDetails = {
    type,
    title,
    status: input.status,
    detail: input.detail,
    instance: input.instance,
    code: input.code,
  };
  if (input.errors && input.errors.length > 0) problem.errors = input.errors;
  if (input.details && Object.keys(input.details).length > 0) problem.details = input.details;
  return problem;
}
