import {
  dayOfInstant,
  DomainError,
  DomainErrorCode,
  GENDERS,
  isValidOccurredOn,
  MIN_DAY,
  RELEASE_LEGAL_BASES,
  type CaseCommand,
  type CaseDecider,
  type CaseState,
  type EventFacts,
  type Gender,
  type RecordedCaseEvent,
  type ReleaseLegalBasis,
} from '#domain';
import type { CsvRecord } from './csv-parser.js';
import { caseIdFor, idempotencyKeyFor } from './deterministic-ids.js';
import { parseBoolean, parseNationalities, parseReleaseConditions, parseSource, parseText, type Parsed } from './fields.js';

/** The columns of an import file, in the order the documentation lists them. */
export const IMPORT_COLUMNS = [
  'name',
  'nationalities',
  'gender',
  'minor',
  'military',
  'detention_date',
  'facility',
  'release_date',
  'house_arrest_date',
  'release_conditions',
  'legal_basis',
  'source',
  'external_reference',
] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];
/** Columns the header must name (`name` too: an empty name is a deliberate withholding). */
export const REQUIRED_COLUMNS: readonly ImportColumn[] = ['name', 'nationalities', 'gender', 'detention_date'];
export const DEFAULT_LEGAL_BASIS: ReleaseLegalBasis = 'government_announcement';

/** One line of the report: `line N: field: message`. */
export interface RowError {
  line: number;
  /** A column name, or `header`, `row`, `csv`. */
  field: string;
  message: string;
}
export const formatRowError = (e: RowError): string => `line ${e.line}: ${e.field}: ${e.message}`;

export interface Header {
  /** Where each column named in the header sits. */
  index: Map<ImportColumn, number>;
  width: number;
}

/** The command of an imported row, the column whose date it carries, and its idempotency key. */
export interface PlannedCommand {
  column: ImportColumn;
  command: CaseCommand;
  idempotencyKey: string;
}

/** A valid row: the case it opens and the commands that record it, in valid-time order. */
export interface ImportRow {
  line: number;
  caseId: string;
  /** What identifies the person, for the report of a duplicate. */
  identifiedBy: 'external_reference' | 'name';
  commands: PlannedCommand[];
}

export interface RowContext {
  now: Date;
  timeZone: string;
  decider: CaseDecider;
  /** Secret for deriving case and command ids (see deterministic-ids.ts). */
  idKey: Buffer;
}

/** Reads the header row: known column names (any case, spaces trimmed), each once, the required ones present. */
export function readHeader(record: CsvRecord): { header: Header; errors?: undefined } | { errors: RowError[]; header?: undefined } {
  const line = record.line;
  if (record.error !== undefined) return { errors: [{ line, field: 'csv', message: record.error }] };
  const errors: RowError[] = [];
  const index = new Map<ImportColumn, number>();
  record.fields.forEach((raw, i) => {
    const name = raw.trim().toLowerCase();
    if (!(IMPORT_COLUMNS as readonly string[]).includes(name)) {
      errors.push({ line, field: 'header', message: `unknown column "${raw.trim()}" (columns: ${IMPORT_COLUMNS.join(', ')})` });
    } else if (index.has(name as ImportColumn)) {
      errors.push({ line, field: 'header', message: `column "${name}" appears twice` });
    } else index.set(name as ImportColumn, i);
  });
  for (const required of REQUIRED_COLUMNS) {
    if (!index.has(required)) errors.push({ line, field: 'header', message: `missing column "${required}"` });
  }
  return errors.length > 0 ? { errors } : { header: { index, width: record.fields.length } };
}

/** `YYYY-MM-DD` of a real day, not before MIN_DAY, not after today in the zone. */
export function parseDay(cell: string, today: string): Parsed<string> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(cell)) return { error: `"${cell}" must be a date YYYY-MM-DD` };
  if (!isValidOccurredOn(cell)) return { error: `${cell} is not a real date` };
  if (cell < MIN_DAY) return { error: `${cell} is before ${MIN_DAY}` };
  if (cell > today) return { error: `${cell} is in the future (today is ${today})` };
  return { value: cell };
}

/**
 * Validates one data row and turns it into commands: every field first (each bad one reported), then
 * the dates against each other, then the domain's own `decide` over the row's commands, in date
 * order, on an in-memory case, which rejects what the domain would reject.
 */
export function validateRow(record: CsvRecord, header: Header, ctx: RowContext): { row: ImportRow; errors?: undefined } | { errors: RowError[]; row?: undefined } {
  const line = record.line;
  if (record.error !== undefined) return { errors: [{ line, field: 'csv', message: record.error }] };
  if (record.fields.length !== header.width) {
    return { errors: [{ line, field: 'row', message: `expected ${header.width} fields as in the header, found ${record.fields.length}` }] };
  }
  const errors: RowError[] = [];
  const cell = (column: ImportColumn): string => {
    const i = header.index.get(column);
    return i === undefined ? '' : record.fields[i]!.trim();
  };
  const take = <T>(column: ImportColumn, parsed: Parsed<T>): T | undefined => {
    if (parsed.error !== undefined) {
      errors.push({ line, field: column, message: parsed.error });
      return undefined;
    }
    return parsed.value;
  };
  const today = dayOfInstant(ctx.now, ctx.timeZone);
  const optional = <T>(column: ImportColumn, parse: (c: string) => Parsed<T>, fallback: T): T | undefined => {
    const c = cell(column);
    return c === '' ? fallback : take(column, parse(c));
  };

  const rawName = cell('name').normalize('NFC').replace(/\s+/g, ' ');
  const fullName = rawName === '' ? null : take('name', parseText(rawName));
  const nationalitiesCell = cell('nationalities');
  const nationalities =
    nationalitiesCell === ''
      ? take<string[]>('nationalities', { error: 'is required (ISO 3166-1 alpha-2 codes separated by | or ;)' })
      : take('nationalities', parseNationalities(nationalitiesCell));
  const genderCell = cell('gender').toLowerCase();
  const gender =
    genderCell === ''
      ? take<Gender>('gender', { error: `is required (${GENDERS.join(', ')})` })
      : (GENDERS as readonly string[]).includes(genderCell)
        ? (genderCell as Gender)
        : take<Gender>('gender', { error: `"${cell('gender')}" is not one of ${GENDERS.join(', ')}` });
  const minor = optional('minor', parseBoolean, false);
  const military = optional('military', parseBoolean, false);
  const detentionCell = cell('detention_date');
  const detentionDate = detentionCell === '' ? take<string>('detention_date', { error: 'is required (YYYY-MM-DD)' }) : take('detention_date', parseDay(detentionCell, today));
  const facility = optional('facility', parseText, null);
  const releaseDate = optional('release_date', (c) => parseDay(c, today), null);
  const houseArrestDate = optional('house_arrest_date', (c) => parseDay(c, today), null);
  const conditions = optional('release_conditions', parseReleaseConditions, null);
  const legalBasisCell = cell('legal_basis').toLowerCase();
  const legalBasis: ReleaseLegalBasis | undefined =
    legalBasisCell === ''
      ? DEFAULT_LEGAL_BASIS
      : (RELEASE_LEGAL_BASES as readonly string[]).includes(legalBasisCell)
        ? (legalBasisCell as ReleaseLegalBasis)
        : take<ReleaseLegalBasis>('legal_basis', { error: `"${cell('legal_basis')}" is not one of ${RELEASE_LEGAL_BASES.join(', ')}` });
  const source = optional('source', parseSource, null);
  const externalReference = optional('external_reference', parseText, null);

  // The dates against each other (only those that are themselves valid).
  if (detentionDate !== undefined) {
    if (houseArrestDate && houseArrestDate < detentionDate) {
      errors.push({ line, field: 'house_arrest_date', message: `${houseArrestDate} is before the detention on ${detentionDate}` });
    }
    if (releaseDate && releaseDate < detentionDate) {
      errors.push({ line, field: 'release_date', message: `${releaseDate} is before the detention on ${detentionDate}` });
    }
  }
  if (releaseDate === null) {
    if (cell('release_conditions') !== '') errors.push({ line, field: 'release_conditions', message: 'given without a release_date' });
    if (cell('legal_basis') !== '') errors.push({ line, field: 'legal_basis', message: 'given without a release_date' });
  }
  if (errors.length > 0) {
    // In the order of the documented columns (a stable sort keeps a column's own errors in order).
    const rank = (field: string) => (IMPORT_COLUMNS as readonly string[]).indexOf(field);
    return { errors: errors.sort((a, b) => rank(a.field) - rank(b.field)) };
  }

  // Every field is valid here.
  const caseId = caseIdFor({ externalReference: externalReference!, fullName: fullName!, detentionDate: detentionDate!, nationalities: nationalities! }, ctx.idKey);
  const facts = (day: string): EventFacts => ({ occurredOn: day, datePrecision: 'day', source: source!, verification: 'confirmed' });
  const plan = (column: ImportColumn, command: CaseCommand): PlannedCommand => ({
    column,
    command,
    idempotencyKey: idempotencyKeyFor(caseId, command.type, command, ctx.idKey),
  });
  const commands: PlannedCommand[] = [
    plan('detention_date', {
      type: 'OpenCase',
      caseId,
      source: source!,
      data: {
        nameWithheld: fullName === null,
        nationalities: nationalities!,
        gender: gender!,
        minor: minor!,
        affiliation: military ? 'military' : 'civilian',
        externalReference: externalReference!,
      },
      personal: { fullName: fullName!, birthYear: null },
      firstDetention: { facts: facts(detentionDate!), data: { facility: facility!, arrestingAuthority: null, charges: [] }, personal: null },
    }),
  ];
  // In date order; on the same day the house arrest comes first (prison, then home, then freedom).
  const houseArrestFirst = houseArrestDate !== null && (releaseDate === null || houseArrestDate! <= releaseDate!);
  const houseArrest =
    houseArrestDate !== null
      ? plan('house_arrest_date', { type: 'RecordHouseArrest', caseId, facts: facts(houseArrestDate!), data: { location: null, orderedBy: null }, personal: null })
      : null;
  const release =
    releaseDate !== null
      ? plan('release_date', {
          type: 'RecordRelease',
          caseId,
          facts: facts(releaseDate!),
          // Released from the facility of the detention, unless from house arrest.
          data: { legalBasis: legalBasis!, conditions: conditions!, facility: houseArrestFirst ? null : facility! },
          personal: null,
        })
      : null;
  if (houseArrestFirst) commands.push(houseArrest!);
  if (release) commands.push(release);
  if (houseArrest && !houseArrestFirst) commands.push(houseArrest);

  const decided = decideInMemory(ctx.decider, ctx.decider.initialState(), commands, ctx.now);
  if (decided.error) return { errors: [{ line, field: decided.error.column, message: domainMessage(decided.error.error) }] };
  return { row: { line, caseId, identifiedBy: externalReference ? 'external_reference' : 'name', commands } };
}

/** A domain rejection as a report message: the domain's own words and its stable code. */
export function domainMessage(error: DomainError): string {
  return `${error.message} (${error.code})`;
}

/**
 * Decides the commands one after the other on a case state held in memory (each decided event is
 * folded in as if stored), as the executor would on the stored stream. Stops at the first rejection.
 */
export function decideInMemory(
  decider: CaseDecider,
  initial: CaseState,
  commands: readonly PlannedCommand[],
  now: Date,
): { state: CaseState; error?: { column: ImportColumn; error: DomainError } } {
  let state = initial;
  for (const planned of commands) {
    let events;
    try {
      events = decider.decide(planned.command, state, { now });
    } catch (error) {
      if (error instanceof DomainError) return { state, error: { column: planned.column, error } };
      throw error;
    }
    for (const event of events) {
      const version = state.version + 1;
      state = decider.evolve(state, { ...event, eventId: `in-memory-${version}`, version, position: 0, recordedAt: now.toISOString() } as RecordedCaseEvent);
    }
  }
  return { state };
}

/** The report line for a second row about a person an earlier row of the file already named. */
export function duplicateError(row: ImportRow, firstLine: number): RowError {
  const what = row.identifiedBy === 'external_reference' ? 'external_reference' : 'name, detention_date and nationalities';
  return { line: row.line, field: row.identifiedBy, message: `the same person as line ${firstLine} (same ${what})` };
}

/** Whether a domain error says the case exists already: the same person imported before with other details. */
export const isAlreadyOpened = (error: DomainError): boolean => error.code === DomainErrorCode.CaseAlreadyOpened;
