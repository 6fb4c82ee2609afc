// Pure form logic (no DOM, no Preact): field specs, browser-side validation, the request body, and
// where each of the API's field errors belongs. Kept apart so jest can test it without a browser.

export type FieldKind = 'text' | 'textarea' | 'date' | 'select' | 'number' | 'checkbox' | 'list' | 'checkboxes';

export type FormValue = string | boolean | string[];
export type FormValues = Record<string, FormValue>;

export interface FieldSpec {
  /** The dotted path in the request body (`conditions.reportEveryDays`), also the field's identity. */
  name: string;
  kind: FieldKind;
  /** Values of a select or of a checkbox group. */
  options?: readonly string[];
  /** i18n key prefix of the option labels (`cw.legalBasis.` + value). */
  optionLabels?: string;
  /** Message key of the label; `cw.field.<name>` by default. */
  label?: string;
  hint?: string;
  required?: boolean;
  /** Required only when this holds (e.g. a denial's reason). */
  requiredWhen?: (values: FormValues) => boolean;
  /** Shown only when this holds. */
  visibleWhen?: (values: FormValues) => boolean;
  min?: number;
  max?: number;
  maxLength?: number;
  /** Dates: no later than today in Caracas (the domain refuses future dates). */
  notFuture?: boolean;
  /** Lists: upper-case ISO 3166 alpha-2 codes. */
  countryCodes?: boolean;
  /** Checkboxes: send `false` too (the API requires the member). */
  sendFalse?: boolean;
  /** Part of the path rather than the body (the amnesty request a decision is about). */
  inPath?: boolean;
  /** A select whose options come from the case (events, amnesty requests), not from `options`. */
  dynamicOptions?: 'retractable-events' | 'reported-events' | 'undecided-requests' | 'decided-requests';
  initial?: FormValue;
  /** Consecutive fields of one section are grouped under a legend (`cw.section.<section>`). */
  section?: string;
}

/** A message to translate: a key and its variables. */
export interface Message {
  key: string;
  vars?: Record<string, string | number>;
}

export type FieldErrors = Record<string, Message | string>;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const COUNTRY = /^[A-Z]{2}$/;

export function isRealDay(value: string): boolean {
  const m = DAY.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** Splits a list typed one per line or comma-separated. */
export function splitList(text: string): string[] {
  return text
    .split(/[\n,;]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export function initialValues(fields: readonly FieldSpec[]): FormValues {
  const values: FormValues = {};
  for (const f of fields) {
    if (f.initial !== undefined) values[f.name] = f.initial;
    else if (f.kind === 'checkbox') values[f.name] = false;
    else if (f.kind === 'checkboxes') values[f.name] = [];
    else values[f.name] = '';
  }
  return values;
}

const isVisible = (f: FieldSpec, values: FormValues): boolean => (f.visibleWhen ? f.visibleWhen(values) : true);
const isEmpty = (v: FormValue | undefined): boolean =>
  v === undefined || v === false || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);

/** What the browser can check before sending: required, formats, ranges, dates not in the future. */
export function validate(fields: readonly FieldSpec[], values: FormValues, today: string): FieldErrors {
  const errors: FieldErrors = {};
  for (const f of fields) {
    if (!isVisible(f, values)) continue;
    const v = values[f.name];
    const required = f.required === true || (f.requiredWhen ? f.requiredWhen(values) : false);
    if (f.kind === 'checkbox') continue;
    if (isEmpty(v)) {
      if (required) errors[f.name] = { key: 'cw.error.required' };
      continue;
    }
    const text = typeof v === 'string' ? v.trim() : '';
    switch (f.kind) {
      case 'date':
        if (!isRealDay(text)) errors[f.name] = { key: 'cw.error.date' };
        else if (f.notFuture && text > today) errors[f.name] = { key: 'cw.error.future' };
        break;
      case 'number': {
        const n = Number(text);
        if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(n)) errors[f.name] = { key: 'cw.error.integer' };
        else if ((f.min !== undefined && n < f.min) || (f.max !== undefined && n > f.max))
          errors[f.name] = { key: 'cw.error.range', vars: { min: f.min ?? '', max: f.max ?? '' } };
        break;
      }
      case 'select':
        if (f.options && !f.options.includes(text)) errors[f.name] = { key: 'cw.error.choice' };
        break;
      case 'list': {
        const items = splitList(text);
        if (required && items.length === 0) errors[f.name] = { key: 'cw.error.required' };
        else if (f.countryCodes && items.some((i) => !COUNTRY.test(i.toUpperCase()))) errors[f.name] = { key: 'cw.error.country' };
        else if (f.maxLength !== undefined && items.some((i) => i.length > f.maxLength!)) errors[f.name] = { key: 'cw.error.tooLong', vars: { max: f.maxLength } };
        break;
      }
      default:
        if (f.maxLength !== undefined && text.length > f.maxLength) errors[f.name] = { key: 'cw.error.tooLong', vars: { max: f.maxLength } };
    }
  }
  return errors;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    if (typeof node[part] !== 'object' || node[part] === null) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]!] = value;
}

/** The JSON body: empty fields left out (the API's defaults apply), numbers as numbers, lists as arrays. */
export function buildBody(fields: readonly FieldSpec[], values: FormValues): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const f of fields) {
    if (f.inPath || !isVisible(f, values)) continue;
    const v = values[f.name];
    if (f.kind === 'checkbox') {
      if (v === true) setPath(body, f.name, true);
      else if (f.sendFalse) setPath(body, f.name, false);
      continue;
    }
    if (isEmpty(v)) continue;
    if (f.kind === 'checkboxes') setPath(body, f.name, v);
    else if (f.kind === 'number') setPath(body, f.name, Number(String(v).trim()));
    else if (f.kind === 'list') {
      const items = splitList(String(v));
      setPath(body, f.name, f.countryCodes ? items.map((i) => i.toUpperCase()) : items);
    } else setPath(body, f.name, typeof v === 'string' ? v.trim() : v);
  }
  return body;
}

/** One field error as the API sends it (`messages`), or as a client may have normalised it (`message`). */
export interface ApiFieldError {
  field: string;
  message?: string;
  messages?: string[];
}

export const apiErrorText = (e: ApiFieldError): string => e.message ?? (e.messages ?? []).join(' ');

/**
 * Places each of the API's field errors at the form field it names: the field itself, the list a
 * `charges.0` belongs to, or the first field inside an object the API names (`source`). Errors that
 * name no field of the form are returned apart, to be shown above it.
 */
export function placeApiErrors(fields: readonly FieldSpec[], errors: readonly ApiFieldError[]): { byField: Record<string, string>; unplaced: string[] } {
  const byField: Record<string, string> = {};
  const unplaced: string[] = [];
  for (const e of errors) {
    const text = apiErrorText(e);
    const target =
      fields.find((f) => f.name === e.field) ??
      [...fields].sort((a, b) => b.name.length - a.name.length).find((f) => e.field.startsWith(`${f.name}.`)) ??
      fields.find((f) => f.name.startsWith(`${e.field}.`));
    if (target) byField[target.name] = byField[target.name] ? `${byField[target.name]} ${text}` : text;
    else unplaced.push(`${e.field}: ${text}`);
  }
  return { byField, unplaced };
}

/**
 * A fresh Idempotency-Key. `crypto.getRandomValues` works on plain http too (unlike `randomUUID`,
 * which needs a secure context), and an office network may serve the app over http.
 */
export function newIdempotencyKey(random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b)): string {
  const bytes = random(new Uint8Array(16));
  return `web-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** Whole days from one YYYY-MM-DD day to another (calendar days, no zone involved). */
export function daysFrom(from: string, to: string): number {
  const ms = Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`);
  return Math.round(ms / 86_400_000);
}
