/**
 * `npm run bench:scale -- --cases N [options]`: the rebuild and the as-of queries on a log as large as
 * one chooses (500,000 cases is about 5 million events), beside the same references as the main
 * harness, written to `bench/results/scale-<N>-cases.md` and `.json`.
 *
 * The main harness holds its whole data set in memory; this one never does. Cases are generated one
 * at a time and their commands staged in a SQLite table, which is then read back in global recording
 * order and appended through the store port. The measurements run in worker processes (worker.ts).
 *
 *   --cases N     number of generated cases (required)
 *   --seed N      generator seed (default 20260108, as the main harness)
 *   --samples N   query samples per figure (default 100)
 *   --reference-samples K
 *                 the interval-scan reference of the count figures runs on the first K of them
 *                 (default: all; at a million cases each scan takes seconds)
 *   --dir D       working directory (default <tmp>/prisoner-scale-<N>-cases-<seed>)
 *   --keep-log    keep <dir>/events.sqlite and <dir>/log.json: a later run with the same --cases and
 *                 --seed reuses the log and only measures
 *
 * Missed targets never fail the run; an exception does (exit code 1).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { describeMachine } from './stats.js';
import { runWorker } from './worker-process.js';
import Database from 'better-sqlite3';
import { SqliteEventStore, type NewEvent } from '#event-store';
import { generateCase, type DatasetStats } from './generator.js';
import { renderScaleMarkdown, scaleRows, type LogBuild, type QueryFigures, type ReadFigure, type RebuildFigure, type ScaleResults } from './scale-report.js';

/** Cases generated and staged per staging transaction. */
const STAGING_BATCH = 5_000;

const here = dirname(fileURLToPath(import.meta.url));
/** The repository root: dist/bench/scale.js -> ../.. */
const root = resolve(here, '..', '..');
const resultsDir = join(root, 'bench', 'results');

const log = (message: string) => process.stderr.write(`[scale ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
const n = (x: number) => Math.round(x).toLocaleString('en-US');
const elapsed = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e9;

function options() {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      cases: { type: 'string' },
      seed: { type: 'string' },
      samples: { type: 'string' },
      'reference-samples': { type: 'string' },
      dir: { type: 'string' },
      'keep-log': { type: 'boolean', default: false },
    },
  });
  const int = (name: string, value: string | undefined, fallback?: number) => {
    if (value === undefined) {
      if (fallback === undefined) throw new Error(`--${name} is required (e.g. --${name} 500000)`);
      return fallback;
    }
    const x = Number(value);
    if (!Number.isSafeInteger(x) || x < 1) throw new Error(`--${name} must be a positive integer, got ${value}`);
    return x;
  };
  const cases = int('cases', values.cases);
  const seed = int('seed', values.seed, 20260108);
  return {
    cases,
    seed,
    samples: int('samples', values.samples, 100),
    referenceSamples: values['reference-samples'] === undefined ? undefined : int('reference-samples', values['reference-samples']),
    dir: resolve(values.dir ?? join(tmpdir(), `prisoner-scale-${cases}-cases-${seed}`)),
    keepLog: values['keep-log'],
  };
}

const git = (args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });

/** The commit measured, and the paths that differ from it (results files excepted: they are this harness's output). */
function codeVersion(): ScaleResults['code'] {
  try {
    const commit = git(['rev-parse', '--short', 'HEAD']).trim();
    const changedPaths = git(['status', '--porcelain', '--', '.', ':!bench/results'])
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => line.slice(3));
    return { commit, uncommittedChanges: changedPaths.length > 0, changedPaths };
  } catch {
    return { commit: 'unknown', uncommittedChanges: null, changedPaths: [] };
  }
}

/** Removes a SQLite database and the files SQLite keeps beside it. */
function removeDatabase(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${file}${suffix}`, { force: true });
}

/** The log in `dir` when an earlier run built it for the same cases and seed (and kept it). */
function reusableLog(logFile: string, buildFile: string, cases: number, seed: number): LogBuild | null {
  if (!existsSync(logFile) || !existsSync(buildFile)) return null;
  const build = JSON.parse(readFileSync(buildFile, 'utf8')) as LogBuild;
  return build.cases === cases && build.seed === seed ? build : null;
}

/** The statistics `generateDataset` gives, gathered case by case. */
function emptyStats(cases: number): DatasetStats {
  return {
    cases,
    events: 0,
    commandAppends: 0,
    eventsPerCase: { min: Number.POSITIVE_INFINITY, mean: 0, max: 0 },
    byType: {},
    backdated: 0,
    recordedLate: 0,
    reported: 0,
    retractions: 0,
    confirmations: 0,
    refusedProposals: 0,
    refusedInRecordingOrder: 0,
    firstRecordedAt: '',
    lastRecordedAt: '',
  };
}

function addCase(stats: DatasetStats, generated: ReturnType<typeof generateCase>): void {
  let events = 0;
  for (const a of generated.appends) {
    for (const e of a.events) {
      stats.byType[e.type] = (stats.byType[e.type] ?? 0) + 1;
      if (e.metadata.verification === 'reported') stats.reported += 1;
      events += 1;
    }
    // ISO instants in UTC compare as strings.
    if (stats.firstRecordedAt === '' || a.recordedAt < stats.firstRecordedAt) stats.firstRecordedAt = a.recordedAt;
    if (a.recordedAt > stats.lastRecordedAt) stats.lastRecordedAt = a.recordedAt;
  }
  stats.events += events;
  stats.commandAppends += generated.appends.length;
  stats.eventsPerCase.min = Math.min(stats.eventsPerCase.min, events);
  stats.eventsPerCase.max = Math.max(stats.eventsPerCase.max, events);
  stats.backdated += generated.backdated;
  stats.recordedLate += generated.recordedLate;
  stats.retractions += generated.retractions;
  stats.confirmations += generated.confirmations;
  stats.refusedProposals += generated.refusedProposals;
  stats.refusedInRecordingOrder += generated.refused;
}

interface StagedAppend {
  recorded_at: string;
  stream_id: string;
  expected_version: number;
  command_id: string;
  events: string;
}

/**
 * Generates `cases` cases into `logFile` through the store port, in the order `generateDataset`
 * sorts them (recording instant, then case index, then the case's own order), holding one staging
 * batch of cases in memory at a time.
 */
async function buildLog(logFile: string, cases: number, seed: number, commit: string): Promise<LogBuild> {
  const stagingFile = join(dirname(logFile), 'staging.sqlite');
  removeDatabase(stagingFile);
  const staging = new Database(stagingFile);
  try {
    // A scratch table, rebuilt from the seed if anything goes wrong: no durability needed.
    staging.pragma('journal_mode = OFF');
    staging.pragma('synchronous = OFF');
    staging.pragma('cache_size = -262144'); // 256 MiB, for the CREATE INDEX sort
    staging.exec(
      `CREATE TABLE appends (recorded_at TEXT NOT NULL, case_index INTEGER NOT NULL, seq INTEGER NOT NULL, stream_id TEXT NOT NULL,
                             expected_version INTEGER NOT NULL, command_id TEXT NOT NULL, events TEXT NOT NULL)`,
    );
    const insert = staging.prepare('INSERT INTO appends (recorded_at, case_index, seq, stream_id, expected_version, command_id, events) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const stats = emptyStats(cases);
    const stage = staging.transaction((from: number, to: number) => {
      for (let caseIndex = from; caseIndex < to; caseIndex++) {
        const generated = generateCase(seed, caseIndex);
        addCase(stats, generated);
        generated.appends.forEach((a, seq) => insert.run(a.recordedAt, a.caseIndex, seq, a.streamId, a.expectedVersion, a.commandId, JSON.stringify(a.events)));
      }
    });

    log(`generating ${n(cases)} cases (seed ${seed}) into ${stagingFile}`);
    const tenth = Math.max(1, Math.ceil(cases / 10));
    const batch = Math.min(STAGING_BATCH, tenth);
    let started = process.hrtime.bigint();
    let nextReport = tenth;
    for (let from = 0; from < cases; from += batch) {
      const to = Math.min(cases, from + batch);
      stage(from, to);
      if (to >= nextReport || to === cases) {
        const seconds = elapsed(started);
        log(`generated and staged ${n(to)} / ${n(cases)} cases: ${n(stats.events)} events, ${n(stats.events / seconds)} events/s`);
        nextReport = to + tenth;
      }
    }
    const generateAndStageSeconds = elapsed(started);
    if (stats.cases > 0) stats.eventsPerCase.mean = stats.events / stats.cases;
    stats.byType = Object.fromEntries(Object.entries(stats.byType).sort((a, b) => b[1] - a[1]));

    started = process.hrtime.bigint();
    staging.exec('CREATE INDEX appends_in_recording_order ON appends (recorded_at, case_index, seq)');
    const indexSeconds = elapsed(started);
    log(`indexed ${n(stats.commandAppends)} staged commands in recording order in ${indexSeconds.toFixed(1)} s`);

    log(`appending ${n(stats.commandAppends)} commands through SqliteEventStore into ${logFile}`);
    const staged = staging.prepare<[], StagedAppend>(
      'SELECT recorded_at, stream_id, expected_version, command_id, events FROM appends ORDER BY recorded_at, case_index, seq',
    );
    let now = new Date();
    const store = new SqliteEventStore({ filename: logFile, now: () => now });
    const tenthOfAppends = Math.max(1, Math.ceil(stats.commandAppends / 10));
    let appends = 0;
    let events = 0;
    let lastReport = { at: process.hrtime.bigint(), events: 0 };
    started = lastReport.at;
    try {
      for (const row of staged.iterate()) {
        now = new Date(row.recorded_at);
        const planned = JSON.parse(row.events) as NewEvent[];
        await store.append(row.stream_id, planned, { expectedVersion: row.expected_version, commandId: row.command_id });
        appends += 1;
        events += planned.length;
        if (appends % tenthOfAppends === 0 || appends === stats.commandAppends) {
          const at = process.hrtime.bigint();
          const recent = (events - lastReport.events) / (Number(at - lastReport.at) / 1e9);
          log(`appended ${n(appends)} / ${n(stats.commandAppends)} commands (${n(events)} events): ${n(recent)} events/s since the last report, ${n(events / elapsed(started))} overall`);
          lastReport = { at, events };
        }
      }
    } finally {
      await store.close();
    }
    const appendSeconds = elapsed(started);
    if (events !== stats.events) throw new Error(`appended ${events} events, generated ${stats.events}`);

    return {
      cases,
      seed,
      builtAt: new Date().toISOString(),
      builtOnCommit: commit,
      stats,
      generateAndStageSeconds,
      indexSeconds,
      appends: { appends, events, seconds: appendSeconds, eventsPerSecond: events / appendSeconds },
      logBytes: statSync(logFile).size,
      builderMaxRss: process.resourceUsage().maxRSS * 1024,
    };
  } finally {
    staging.close();
    removeDatabase(stagingFile);
  }
}

async function main(): Promise<void> {
  const o = options();
  const startedAt = Date.now();
  const loadStart = loadavg();
  const code = codeVersion();
  mkdirSync(o.dir, { recursive: true });
  const logFile = join(o.dir, 'events.sqlite');
  const buildFile = join(o.dir, 'log.json');
  const readModels = join(o.dir, 'read-models.sqlite');
  log(`${n(o.cases)} cases, seed ${o.seed}; working in ${o.dir}`);
  try {
    // --- the log ----------------------------------------------------------------------------------
    let build = reusableLog(logFile, buildFile, o.cases, o.seed);
    const reused = build !== null;
    if (build) {
      log(`reusing the log built on ${build.builtAt} (${n(build.stats.events)} events): ${logFile}`);
    } else {
      // Whatever is there was built for other options, or not finished: start over.
      rmSync(buildFile, { force: true });
      removeDatabase(logFile);
      build = await buildLog(logFile, o.cases, o.seed, code.commit);
      writeFileSync(buildFile, `${JSON.stringify(build, null, 2)}\n`);
      log(`log built: ${n(build.stats.events)} events, ${(build.logBytes / 2 ** 20).toFixed(0)} MiB`);
    }

    // --- rebuild ----------------------------------------------------------------------------------
    log('rebuild reference: read the log and JSON.parse it');
    const raw = await runWorker<ReadFigure>('raw-read', ['--events', logFile]);
    removeDatabase(readModels);
    log('rebuild: Projector.rebuild() (createProjector, SQLite read models)');
    const rebuild = await runWorker<RebuildFigure>('rebuild', ['--events', logFile, '--read-models', readModels], ['--expose-gc']);
    log(`rebuild: ${n(rebuild.eventsPerSecond)} events/s against ${n(raw.eventsPerSecond)} for the raw read`);

    // --- queries ----------------------------------------------------------------------------------
    log(`as-of queries (${o.samples} samples each)`);
    const referenceSamples = o.referenceSamples === undefined ? [] : ['--reference-samples', String(o.referenceSamples)];
    const queries = await runWorker<QueryFigures>('queries', ['--events', logFile, '--read-models', readModels, '--samples', String(o.samples), '--seed', String(o.seed), ...referenceSamples]);

    // --- results ----------------------------------------------------------------------------------
    const results: ScaleResults = {
      generatedAt: new Date().toISOString(),
      code,
      options: { cases: o.cases, seed: o.seed, samples: o.samples },
      machine: describeMachine(loadStart),
      log: { ...build, reused },
      rebuild: { port: rebuild, raw },
      queries,
      rows: [],
      durationSeconds: (Date.now() - startedAt) / 1000,
    };
    results.rows = scaleRows(results);
    const name = `scale-${o.cases}-cases`;
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(join(resultsDir, `${name}.json`), `${JSON.stringify(results, null, 2)}\n`);
    const markdown = join(resultsDir, `${name}.md`);
    writeFileSync(markdown, renderScaleMarkdown(results));
    log(`done in ${n(results.durationSeconds)} s`);
    for (const r of results.rows) log(`${r.met === false ? 'MISSED ' : r.met ? 'met    ' : '       '}${r.figure}: ${r.measured} vs ${r.reference} (${r.ratio})`);
    process.stdout.write(`${markdown}\n`);
  } finally {
    removeDatabase(readModels);
    if (!o.keepLog) {
      removeDatabase(logFile);
      rmSync(buildFile, { force: true });
      if (readdirSync(o.dir).length === 0) rmdirSync(o.dir);
    }
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
