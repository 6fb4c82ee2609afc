import { randomUUID } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { ApplicationError, CaseCommandExecutor, CaseRepository, type CommandContext } from '#application';
import { caseDecider, DomainError, systemClock, type CaseDecider } from '#domain';
import type { EventStore } from '#event-store';
import { loadEnvironment } from '#config';
import { openRuntime } from '../runtime.js';
import { csvRecords } from './csv-parser.js';
import { decideInMemory, domainMessage, formatRowError, isAlreadyOpened, type ImportRow, type PlannedCommand, type RowError } from './import-row.js';
import { validateRecords } from './validate-file.js';
import { importIdKey } from '#infrastructure';

export const IMPORT_USAGE = 'usage: cli import <file.csv> [--skip-invalid]';
/** Files with more rows than this get a progress bar (on stderr). */
export const PROGRESS_THRESHOLD = 1000;
const ACTOR = 'cli-import';

export interface ImportSummary {
  /** Rows for which something was written (a new case, or new events on a case imported before). */
  imported: number;
  /** Rows already fully recorded by an earlier import: nothing written. */
  alreadyImported: number;
  invalid: number;
  /** Valid rows whose writing failed (the store changed between the check and the write). */
  failed: number;
}

/** A valid row checked against the store: the commands still to run (none: already imported). */
interface PlannedRow {
  row: ImportRow;
  pending: PlannedCommand[];
}

/**
 * `cli import <file.csv> [--skip-invalid]`: validates every row, then (if all are valid, or with
 * `--skip-invalid`) records the valid ones through the command executor with idempotency keys
 * derived from the rows' content. Returns the exit code: 0 done, 1 invalid rows (nothing written)
 * or failed writes, 2 wrong usage.
 */
export async function importCommand(argv: string[], out: (line: string) => void = (l) => console.log(l)): Promise<number> {
  let file: string;
  let skipInvalid: boolean;
  try {
    const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { 'skip-invalid': { type: 'boolean' } } });
    if (positionals.length !== 1) throw new Error(positionals.length === 0 ? 'a CSV file is required' : 'only one file at a time');
    file = positionals[0]!;
    skipInvalid = values['skip-invalid'] === true;
    if (!statSync(file, { throwIfNoEntry: false })?.isFile()) throw new Error(`${file} is not a readable file`);
  } catch (error) {
    console.error((error as Error).message);
    console.error(IMPORT_USAGE);
    return 2;
  }

  const env = loadEnvironment();
  const decider = caseDecider({ timeZone: env.TIME_ZONE });
  const now = systemClock.now();

  // 1. Every row on its own (fields, dates, the domain's rules on an empty case).
  const idKey = importIdKey(env, (message) => console.warn(message));
  const checked = await validateRecords(csvRecords(createReadStream(file)), { now, timeZone: env.TIME_ZONE, decider, idKey });
  if (!checked.headerOk) {
    checked.errors.forEach((e) => out(formatRowError(e)));
    out('nothing imported: the header row is not usable');
    return 1;
  }

  const runtime = await openRuntime(env, { personalData: true });
  try {
    const progress = checked.rows.length > PROGRESS_THRESHOLD;
    // 2. Every valid row against what is stored: what is already there, and what the domain would reject now.
    const errors = [...checked.errors];
    const invalidLines = new Set(checked.invalidLines);
    const planned: PlannedRow[] = [];
    await withProgress('check ', checked.rows.length, progress, async (tick) => {
      for (const row of checked.rows) {
        const result = await planAgainstStore(runtime.store, decider, row, now);
        if ('error' in result) {
          errors.push(result.error);
          invalidLines.add(row.line);
        } else planned.push(result);
        tick();
      }
    });
    errors.sort((a, b) => a.line - b.line);
    errors.forEach((e) => out(formatRowError(e)));
    if (invalidLines.size > 0 && !skipInvalid) {
      const n = invalidLines.size;
      out(`nothing imported: ${n} invalid row${n === 1 ? '' : 's'} (fix ${n === 1 ? 'it' : 'them'}, or import the valid rows with --skip-invalid)`);
      return 1;
    }

    // 3. Write, one command at a time, each with its content-derived idempotency key.
    // Personal data (names) is encrypted under each case's key before it is appended, as through the API.
    const executor = new CaseCommandExecutor(runtime.store, systemClock, { next: () => randomUUID() }, decider, runtime.codec!);
    const correlationId = randomUUID();
    const summary: ImportSummary = { imported: 0, alreadyImported: 0, invalid: invalidLines.size, failed: 0 };
    const toWrite = planned.filter((p) => p.pending.length > 0);
    summary.alreadyImported = planned.length - toWrite.length;
    await withProgress('import', toWrite.length, progress, async (tick) => {
      for (const { row, pending } of toWrite) {
        const failure = await writeRow(executor, pending, correlationId);
        if (failure) {
          summary.failed++;
          out(formatRowError({ line: row.line, field: failure.column, message: failure.message }));
        } else summary.imported++;
        tick();
      }
    });
    out(formatSummary(summary));
    return summary.failed > 0 ? 1 : 0;
  } finally {
    await runtime.close();
  }
}

export function formatSummary(s: ImportSummary): string {
  return `${s.imported} imported, ${s.alreadyImported} already imported, ${s.invalid} invalid${s.failed > 0 ? `, ${s.failed} failed` : ''}`;
}

/**
 * Which commands of a row are not recorded yet (by idempotency key), and whether the domain accepts
 * them on the stored case: a person imported before with other details is reported, not overwritten.
 */
async function planAgainstStore(store: EventStore, decider: CaseDecider, row: ImportRow, now: Date): Promise<PlannedRow | { error: RowError }> {
  const pending: PlannedCommand[] = [];
  for (const planned of row.commands) {
    if (!(await store.findCommand(planned.idempotencyKey))) pending.push(planned);
  }
  if (pending.length === 0) return { row, pending };
  const { state } = await new CaseRepository(store, decider).load(row.caseId);
  const decided = decideInMemory(decider, state, pending, now);
  if (decided.error) {
    const { column, error } = decided.error;
    const message = isAlreadyOpened(error)
      ? `case ${row.caseId} was already imported with other details (change recorded cases through the API, not by re-importing)`
      : domainMessage(error);
    return { error: { line: row.line, field: isAlreadyOpened(error) ? row.identifiedBy : column, message } };
  }
  return { row, pending };
}

async function writeRow(executor: CaseCommandExecutor, pending: PlannedCommand[], correlationId: string): Promise<{ column: string; message: string } | null> {
  for (const planned of pending) {
    const context: CommandContext = { actor: ACTOR, correlationId, causationId: null, idempotencyKey: planned.idempotencyKey, expectedVersion: null };
    try {
      await executor.execute(planned.command, context);
    } catch (error) {
      if (error instanceof DomainError) return { column: planned.column, message: domainMessage(error) };
      if (error instanceof ApplicationError) return { column: planned.column, message: `${error.message} (${error.code})` };
      throw error;
    }
  }
  return null;
}

async function withProgress(label: string, total: number, enabled: boolean, work: (tick: () => void) => Promise<void>): Promise<void> {
  if (!enabled || total === 0) return work(() => undefined);
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {percentage}% | {value}/{total} rows`, stream: process.stderr, noTTYOutput: true, notTTYSchedule: 2000 },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  let done = 0;
  try {
    await work(() => bar.update(++done));
  } finally {
    bar.stop();
  }
}
