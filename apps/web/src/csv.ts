// CSV built in the browser from the rows a table shows (RFC 4180, formula-safe for spreadsheets).
export interface CsvColumn {
  key: string;
  label: string;
}

export type CsvRow = Record<string, string | number | boolean | null | undefined>;

/** A text cell a spreadsheet would run as a formula is prefixed with an apostrophe (OWASP CSV injection). */
function cell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(columns: readonly CsvColumn[], rows: readonly CsvRow[]): string {
  const lines = [columns.map((c) => cell(c.label)).join(',')];
  for (const row of rows) lines.push(columns.map((c) => cell(row[c.key])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
