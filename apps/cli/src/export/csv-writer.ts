/**
 * Writing CSV (RFC 4180) that is also safe to open in a spreadsheet.
 *
 * A text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return could be run as a formula
 * by a spreadsheet (CSV injection), so it is neutralised by prefixing a single quote. Then a field
 * holding a comma, a quote, a CR or a LF is enclosed in double quotes, inner quotes doubled.
 * Records end with CRLF.
 */
export type CsvValue = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** Prefixes a single quote to text a spreadsheet would read as a formula. */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** One field: null and undefined empty, booleans `true`/`false`, text neutralised then quoted as needed. */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  const text = neutraliseFormula(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record, CRLF-terminated. */
export function csvLine(values: readonly CsvValue[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}
