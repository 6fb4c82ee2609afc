import { isISO31661Alpha2 } from 'class-validator';
import { SOURCE_KINDS, type ReleaseConditions, type Source, type SourceKind } from '#domain';

/**
 * Parsers for the cells of an import file. Each returns `{ value }` or `{ error }` (the message that
 * follows `line N: field: ` in the report); an empty cell has already been handled by the caller
 * unless the parser says otherwise.
 */
export type Parsed<T> = { value: T; error?: undefined } | { error: string; value?: undefined };

export const MAX_TEXT = 200;
export const MAX_NATIONALITIES = 5;
const REPORT_MAX_DAYS = 365;

/** `true` or `false` (any case). */
export function parseBoolean(cell: string): Parsed<boolean> {
  const v = cell.toLowerCase();
  if (v === 'true') return { value: true };
  if (v === 'false') return { value: false };
  return { error: `"${cell}" must be true or false` };
}

/** ISO 3166-1 alpha-2 codes separated by `|` or `;`, upper-cased, each once, in the order given. */
export function parseNationalities(cell: string): Parsed<string[]> {
  const codes = cell
    .split(/[|;]/)
    .map((c) => c.trim().toUpperCase())
    .filter((c) => c !== '');
  if (codes.length === 0) return { error: 'at least one ISO 3166-1 alpha-2 code is required (several separated by | or ;)' };
  const bad = codes.find((c) => !isISO31661Alpha2(c));
  if (bad !== undefined) return { error: `"${bad}" is not an ISO 3166-1 alpha-2 country code` };
  const unique = [...new Set(codes)];
  if (unique.length > MAX_NATIONALITIES) return { error: `at most ${MAX_NATIONALITIES} nationalities` };
  return { value: unique };
}

/**
 * Release conditions, separated by `;` (or `|`): `report:N` (report to a court every N days, 1 to
 * 365), `speech` (speech restriction), `travel` (travel ban), `other:text`. Empty: a full release
 * (null). Each condition may appear once.
 */
export function parseReleaseConditions(cell: string): Parsed<ReleaseConditions | null> {
  const tokens = cell
    .split(/[;|]/)
    .map((t) => t.trim())
    .filter((t) => t !== '');
  if (tokens.length === 0) return { value: null };
  const conditions: ReleaseConditions = { reportEveryDays: null, speechRestriction: false, travelBan: false, other: null };
  const seen = new Set<string>();
  for (const token of tokens) {
    const colon = token.indexOf(':');
    const key = (colon < 0 ? token : token.slice(0, colon)).trim().toLowerCase();
    const arg = colon < 0 ? null : token.slice(colon + 1).trim();
    if (seen.has(key)) return { error: `"${key}" is given twice` };
    seen.add(key);
    switch (key) {
      case 'report': {
        if (arg === null || !/^\d+$/.test(arg) || Number(arg) < 1 || Number(arg) > REPORT_MAX_DAYS) {
          return { error: `"${token}" must be report:N with N a whole number of days from 1 to ${REPORT_MAX_DAYS}` };
        }
        conditions.reportEveryDays = Number(arg);
        break;
      }
      case 'speech':
      case 'travel':
        if (arg !== null) return { error: `"${token}" takes no value (write ${key})` };
        if (key === 'speech') conditions.speechRestriction = true;
        else conditions.travelBan = true;
        break;
      case 'other':
        if (arg === null || arg === '') return { error: `"${token}" must be other:text` };
        if (arg.length > MAX_TEXT) return { error: `other: must be at most ${MAX_TEXT} characters` };
        conditions.other = arg;
        break;
      default:
        return { error: `unknown condition "${token}" (use report:N, speech, travel, other:text; separate them with ;)` };
    }
  }
  return { value: conditions };
}

/** `kind:name`, kind among the domain's source kinds (`ngo:Foro Penal`). Empty: no source (null). */
export function parseSource(cell: string): Parsed<Source | null> {
  if (cell === '') return { value: null };
  const colon = cell.indexOf(':');
  const kind = (colon < 0 ? '' : cell.slice(0, colon)).trim().toLowerCase();
  const name = colon < 0 ? '' : cell.slice(colon + 1).trim();
  if (colon < 0 || !(SOURCE_KINDS as readonly string[]).includes(kind) || name === '') {
    return { error: `"${cell}" must be kind:name with kind one of ${SOURCE_KINDS.join(', ')}` };
  }
  if (name.length > MAX_TEXT) return { error: `the source name must be at most ${MAX_TEXT} characters` };
  return { value: { kind: kind as SourceKind, name, reference: null } };
}

/** Free text of at most MAX_TEXT characters; empty: null. */
export function parseText(cell: string): Parsed<string | null> {
  if (cell === '') return { value: null };
  if (cell.length > MAX_TEXT) return { error: `must be at most ${MAX_TEXT} characters` };
  return { value: cell };
}
