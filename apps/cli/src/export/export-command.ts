import { once } from 'node:events';
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadEnvironment } from '#config';
import { isValidOccurredOn } from '#domain';
import type { NameReader } from '#projections';
import { openRuntime, type Runtime } from '../runtime.js';
import { writeExport, type ExportOptions } from './export-format.js';

export const EXPORT_USAGE =
  'usage: cli export --as-of YYYY-MM-DD [--known-at ISO] [--verification all|confirmed] --format csv|json [--out file]';
/** How long to wait for another process's projector when it holds the lease. */
const CATCH_UP_TIMEOUT_MS = 60_000;

class ExportUsageError extends Error {}

export function parseExportArgs(argv: string[], now: Date = new Date()): ExportOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: false,
      options: {
        'as-of': { type: 'string' },
        'known-at': { type: 'string' },
        verification: { type: 'string' },
        format: { type: 'string' },
        out: { type: 'string' },
      },
    });
  } catch (error) {
    throw new ExportUsageError((error as Error).message);
  }
  const { values } = parsed;
  const asOf = values['as-of'];
  if (!asOf || !/^\d{4}-\d{2}-\d{2}$/.test(asOf) || !isValidOccurredOn(asOf)) throw new ExportUsageError('--as-of YYYY-MM-DD (a real day) is required');
  const knownAt = values['known-at'] !== undefined ? new Date(values['known-at']) : now;
  if (Number.isNaN(knownAt.getTime())) throw new ExportUsageError('--known-at must be an ISO 8601 date-time');
  const verification = values.verification ?? 'confirmed';
  if (verification !== 'all' && verification !== 'confirmed') throw new ExportUsageError('--verification must be all or confirmed');
  const format = values.format;
  if (format !== 'csv' && format !== 'json') throw new ExportUsageError('--format csv or --format json is required');
  if (values.out === '') throw new ExportUsageError('--out needs a file name');
  return { query: { asOf, knownAt: knownAt.toISOString(), scope: verification }, format, out: values.out ?? null };
}

/**
 * `cli export`: every case with its status on `--as-of` as known at `--known-at` (default now), read
 * from the read models after catching them up, page by page, as CSV (header, CRLF, formula-safe) or
 * as a JSON array, to stdout or to `--out` (written to a temporary file, then renamed).
 * Returns the exit code.
 */
export async function exportCommand(argv: string[]): Promise<number> {
  let options: ExportOptions;
  try {
    options = parseExportArgs(argv);
  } catch (error) {
    if (!(error instanceof ExportUsageError)) throw error;
    console.error(error.message);
    console.error(EXPORT_USAGE);
    return 2;
  }
  const env = loadEnvironment();
  const runtime = await openRuntime(env, { personalData: true });
  const names: NameReader = (rows) => runtime.codec!.readNames(rows);
  try {
    await catchUpFully(runtime);
    if (options.out === null) {
      const count = await writeExport(runtime.readModels, options, process.stdout, names);
      // Flushed before the process exits.
      await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
      console.error(`exported ${count} cases`);
      return 0;
    }
    const temporary = `${options.out}.${process.pid}.tmp`;
    const file = createWriteStream(temporary);
    try {
      const count = await writeExport(runtime.readModels, options, file, names);
      file.end();
      await once(file, 'finish');
      renameSync(temporary, options.out);
      console.error(`exported ${count} cases to ${options.out}`);
      return 0;
    } catch (error) {
      file.destroy();
      rmSync(temporary, { force: true });
      throw error;
    }
  } finally {
    await runtime.close();
  }
}

/** Applies everything stored so far; if another process holds the projector lease, waits for it. */
async function catchUpFully(runtime: Runtime): Promise<void> {
  const head = await runtime.store.headPosition();
  await runtime.projector.catchUp();
  const deadline = Date.now() + CATCH_UP_TIMEOUT_MS;
  while ((await runtime.projector.checkpoint()) < head) {
    if (Date.now() > deadline) throw new Error(`the read models did not reach position ${head} within ${CATCH_UP_TIMEOUT_MS / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
    await runtime.projector.catchUp();
  }
}

