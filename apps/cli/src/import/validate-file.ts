import { isBlankRecord, type CsvRecord } from './csv-parser.js';
import { duplicateError, readHeader, validateRow, type ImportRow, type RowContext, type RowError } from './import-row.js';

export interface FileValidation {
  /** False when the header itself is unusable: then nothing can be imported. */
  headerOk: boolean;
  /** Data rows read (blank lines not counted). */
  dataRows: number;
  /** The valid rows, in file order. */
  rows: ImportRow[];
  /** Every problem found, in file order. */
  errors: RowError[];
  /** Lines of the rows that had at least one error. */
  invalidLines: Set<number>;
}

/**
 * Reads the header and validates every data row (blank lines are skipped). A second row about a
 * person an earlier row already named (same derived case id) is reported, not merged.
 */
export async function validateRecords(records: AsyncIterable<CsvRecord> | Iterable<CsvRecord>, ctx: RowContext): Promise<FileValidation> {
  const result: FileValidation = { headerOk: false, dataRows: 0, rows: [], errors: [], invalidLines: new Set() };
  const firstLineOf = new Map<string, number>();
  let header: ReturnType<typeof readHeader>['header'];
  let sawHeader = false;
  for await (const record of records) {
    if (!sawHeader) {
      if (isBlankRecord(record)) continue;
      sawHeader = true;
      const read = readHeader(record);
      if (read.errors) {
        result.errors.push(...read.errors);
        return result;
      }
      header = read.header;
      result.headerOk = true;
      continue;
    }
    if (isBlankRecord(record)) continue;
    result.dataRows++;
    const checked = validateRow(record, header!, ctx);
    if (checked.errors) {
      result.errors.push(...checked.errors);
      result.invalidLines.add(record.line);
      continue;
    }
    const first = firstLineOf.get(checked.row.caseId);
    if (first !== undefined) {
      result.errors.push(duplicateError(checked.row, first));
      result.invalidLines.add(record.line);
      continue;
    }
    firstLineOf.set(checked.row.caseId, record.line);
    result.rows.push(checked.row);
  }
  if (!sawHeader) result.errors.push({ line: 1, field: 'header', message: 'the file is empty: a header row is required' });
  return result;
}
