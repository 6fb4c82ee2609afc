import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { DataSource } from 'typeorm';
import { selectCases, type CaseListItem, type NameReader, type TimeQuery } from '#projections';
import { csvLine } from './csv-writer.js';

/** The CSV columns; those the import also reads have the import's names. */
export const CSV_COLUMNS = [
  'case_id',
  'name',
  'name_withheld',
  'nationalities',
  'gender',
  'minor',
  'military',
  'external_reference',
  'status',
  'status_since',
  'facility',
] as const;

/**
 * One CSV record. An erased person's name is empty, as a withheld one is, but `name_withheld` is
 * false; the JSON export says `nameErased: true` (the CSV keeps the import's column set).
 */
export function csvRecordOf(item: CaseListItem): string {
  return csvLine([
    item.caseId,
    item.fullName,
    item.nameWithheld,
    item.nationalities.join('|'),
    item.gender,
    item.minor,
    item.military,
    item.externalReference,
    item.status,
    item.statusSince,
    item.facility,
  ]);
}

export interface ExportOptions {
  query: TimeQuery;
  format: 'csv' | 'json';
  out: string | null;
}

/**
 * All cases, in the list's order (by name: names are decrypted to sort them, so they are read in
 * one pass rather than page by page; rows recorded after `knownAt` never count).
 */
export async function* allCases(ds: DataSource, query: TimeQuery, names: NameReader): AsyncGenerator<CaseListItem> {
  yield* await selectCases(ds, query, {}, names);
}

/** Writes the export to `sink`, names decrypted by `names`; returns how many cases it holds. */
export async function writeExport(ds: DataSource, options: ExportOptions, sink: Writable, names: NameReader): Promise<number> {
  const write = async (text: string) => {
    if (!sink.write(text)) await once(sink, 'drain');
  };
  let count = 0;
  if (options.format === 'csv') {
    await write(csvLine(CSV_COLUMNS));
    for await (const item of allCases(ds, options.query, names)) {
      await write(csvRecordOf(item));
      count++;
    }
    return count;
  }
  await write('[');
  for await (const item of allCases(ds, options.query, names)) {
    await write(`${count === 0 ? '\n' : ',\n'}${JSON.stringify(item)}`);
    count++;
  }
  await write(count === 0 ? ']\n' : '\n]\n');
  return count;
}
