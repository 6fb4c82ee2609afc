import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { DataSource } from 'typeorm';
import { listCases, type CaseListItem, type TimeQuery } from '#projections';
import { csvLine } from './csv-writer.js';

const PAGE_SIZE = 500;

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

/** All cases, page by page (stable: rows recorded after `knownAt` never count). */
export async function* allCases(ds: DataSource, query: TimeQuery, pageSize = PAGE_SIZE): AsyncGenerator<CaseListItem> {
  for (let page = 1; ; page++) {
    const { items } = await listCases(ds, query, {}, { page, pageSize });
    yield* items;
    if (items.length < pageSize) return;
  }
}

/** Writes the export to `sink`; returns how many cases it holds. */
export async function writeExport(ds: DataSource, options: ExportOptions, sink: Writable): Promise<number> {
  const write = async (text: string) => {
    if (!sink.write(text)) await once(sink, 'drain');
  };
  let count = 0;
  if (options.format === 'csv') {
    await write(csvLine(CSV_COLUMNS));
    for await (const item of allCases(ds, options.query)) {
      await write(csvRecordOf(item));
      count++;
    }
    return count;
  }
  await write('[');
  for await (const item of allCases(ds, options.query)) {
    await write(`${count === 0 ? '\n' : ',\n'}${JSON.stringify(item)}`);
    count++;
  }
  await write(count === 0 ? ']\n' : '\n]\n');
  return count;
}
