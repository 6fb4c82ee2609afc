/** The scale run's results: their JSON shape, the figures against the issue's targets, and the markdown. */
import type { DatasetStats } from './generator.js';
import { eventTypesAndFooter, queryTable, type BenchResults, type Row } from './report.js';
import type { Latency } from './stats.js';

/** The sizes the issue states its targets at: the query targets in cases, the memory target in events. */
export const QUERY_TARGET_CASES = 1_000_000;
export const MEMORY_TARGET_EVENTS = 10_000_000;
const MEMORY_TARGET_BYTES = 512 * 2 ** 20;

/** What the worker modes print (see worker.ts), as the main harness records them. */
export type ReadFigure = BenchResults['rebuild']['raw'];
export type RebuildFigure = BenchResults['rebuild']['port'];
export type QueryFigures = BenchResults['queries'];

/** How the event log was made; kept as `<dir>/log.json` beside the log, so a later run can reuse it. */
export interface LogBuild {
  cases: number;
  seed: number;
  builtAt: string;
  builtOnCommit: string;
  stats: DatasetStats;
  /** generateCase for every case, and the INSERTs of its appends into the staging table. */
  generateAndStageSeconds: number;
  /** CREATE INDEX on the staging table's recording order. */
  indexSeconds: number;
  /** Every command appended through SqliteEventStore, in recording order (reading the staging rows included). */
  appends: { appends: number; events: number; seconds: number; eventsPerSecond: number };
  logBytes: number;
  /** Kernel max RSS of the process that built the log: it never holds the data set whole. */
  builderMaxRss: number;
}

export interface ScaleRow extends Row {
  /** When `met` is null because the target is stated at a size this run did not reach: says so. */
  notJudged: string | null;
}

export interface ScaleResults {
  generatedAt: string;
  code: { commit: string; uncommittedChanges: boolean | null; changedPaths: string[] };
  options: { cases: number; seed: number; samples: number };
  machine: BenchResults['machine'];
  log: LogBuild & { reused: boolean };
  rebuild: { port: RebuildFigure; raw: ReadFigure };
  queries: QueryFigures;
  rows: ScaleRow[];
  durationSeconds: number;
}

const n = (x: number) => Math.round(x).toLocaleString('en-US');
const s1 = (x: number) => x.toFixed(1);
const mibText = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const rate = (x: number) => `${n(x)} events/s`;
const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(0)}%`;
/** Like `pct`, with two significant digits below 10% (a small run is not "0%" of the target size). */
const shareOf = (a: number, b: number) => {
  const share = (100 * a) / b;
  return `${share >= 10 ? share.toFixed(0) : share.toPrecision(2)}%`;
};
const msText = (l: Latency) => `p50 ${l.p50.toFixed(2)} / p95 ${l.p95.toFixed(2)} / p99 ${l.p99.toFixed(2)} ms`;
const times = (a: number, b: number) => `${(a / b).toFixed(1)}×`;

/** A target stated at `targetSize`: judged only when the run reached that size. */
function atSize(measuredSize: number, targetSize: number, unit: string, value: number, limit: number): Pick<ScaleRow, 'met' | 'notJudged'> {
  if (measuredSize >= targetSize) return { met: value < limit, notJudged: null };
  const above = value >= limit ? '; already above the target at this size' : '';
  return { met: null, notJudged: `not judged: measured at ${n(measuredSize)} ${unit}; the target is stated at ${n(targetSize)}${above}` };
}

export function scaleRows(r: ScaleResults): ScaleRow[] {
  const { port, raw } = r.rebuild;
  const q = r.queries;
  const rows: ScaleRow[] = [
    {
      figure: `Rebuild, SQLite (Projector.rebuild, all projections; ${n(port.events)} events)`,
      measured: rate(port.eventsPerSecond),
      reference: `${rate(raw.eventsPerSecond)} (read + JSON.parse of the log)`,
      ratio: pct(port.eventsPerSecond, raw.eventsPerSecond),
      target: '≥ 50% of raw',
      met: port.eventsPerSecond >= raw.eventsPerSecond / 2,
      notJudged: null,
    },
    {
      figure: 'Rebuild, SQLite, absolute',
      measured: rate(port.eventsPerSecond),
      reference: '—',
      ratio: '—',
      target: '≥ 200,000 events/s',
      met: port.eventsPerSecond >= 200_000,
      notJudged: null,
    },
    {
      figure: 'Rebuild, peak RSS (sampled / kernel max)',
      measured: `${mibText(port.peakRssSampled)} / ${mibText(port.maxRss)}`,
      reference: `${mibText(raw.peakRssSampled)} / ${mibText(raw.maxRss)} (raw read)`,
      ratio: '—',
      target: `< 512 MiB at ${n(MEMORY_TARGET_EVENTS)} events`,
      ...atSize(port.events, MEMORY_TARGET_EVENTS, 'events', Math.max(port.peakRssSampled, port.maxRss), MEMORY_TARGET_BYTES),
    },
  ];
  const query = (figure: string, f: { port: Latency; raw: Latency }, reference: string, target: string, judged: Pick<ScaleRow, 'met' | 'notJudged'>) =>
    rows.push({ figure, measured: msText(f.port), reference: `${msText(f.raw)} (${reference}${f.raw.samples < f.port.samples ? `, first ${n(f.raw.samples)} samples` : ''})`, ratio: `${times(f.port.p50, f.raw.p50)} at p50`, target, ...judged });
  const cases = `${n(q.cases)} cases`;
  // knownAt = now reads the per-day deltas, knownAt in the past the corner deltas; the reference of both is the interval range scan they replaced (same counts, checked).
  query(`countByStatus, random asOf, knownAt = now (${cases})`, q.knownAtNow, 'interval range scan, raw prepared statement', `p95 < 5 ms at ${n(QUERY_TARGET_CASES)} cases`, atSize(q.cases, QUERY_TARGET_CASES, 'cases', q.knownAtNow.port.p95, 5));
  query(`countByStatus, random asOf, knownAt in the past (${cases})`, q.knownAtPast, 'interval range scan, raw prepared statement', `p95 < 250 ms at ${n(QUERY_TARGET_CASES)} cases`, atSize(q.cases, QUERY_TARGET_CASES, 'cases', q.knownAtPast.port.p95, 250));
  query(`viewCase over readStream, random case and asOf (${s1(q.viewCase.meanEventsPerCase)} events/case, ${cases})`, q.viewCase, 'raw stream read + JSON.parse', 'p95 < 2 ms', {
    met: q.viewCase.port.p95 < 2,
    notJudged: null,
  });
  return rows;
}

const metText = (row: ScaleRow) => (row.met === null ? (row.notJudged ?? '') : row.met ? 'yes' : '**no**');

export function renderScaleMarkdown(r: ScaleResults): string {
  const out: string[] = [];
  const d = r.log.stats;
  const b = r.log;
  const rb = r.rebuild;
  const q = r.queries;
  const changes =
    r.code.uncommittedChanges === null
      ? ''
      : r.code.uncommittedChanges
        ? ` with uncommitted changes in the tree (${r.code.changedPaths.slice(0, 8).join(', ')}${r.code.changedPaths.length > 8 ? `, and ${r.code.changedPaths.length - 8} more` : ''})`
        : ' (no other changes)';
  out.push(`# Scale benchmark: ${n(r.options.cases)} cases`);
  out.push('');
  out.push(
    `Generated by \`npm run bench:scale -- --cases ${r.options.cases}\` (seed ${r.options.seed}, ${r.options.samples} query samples) on ${r.generatedAt.slice(0, 16).replace('T', ' ')} UTC in ${n(r.durationSeconds)} s, ` +
      `on the code of commit \`${r.code.commit}\`${changes}. ` +
      `Machine: ${r.machine.cores} cores (${r.machine.cpuModel}), ${r.machine.memoryGiB.toFixed(0)} GiB, ${r.machine.platform}, Node ${r.machine.node}; ` +
      `load average ${r.machine.loadAverageStart.map((x) => x.toFixed(1)).join(' ')} at the start, ${r.machine.loadAverageEnd.map((x) => x.toFixed(1)).join(' ')} at the end. ` +
      'Other processes may share the machine: each figure is measured beside its reference, on the same log, and the ratios are what to read.',
  );
  out.push('');
  out.push(
    `**Size measured: ${n(d.cases)} cases, ${n(d.events)} events** (${n(d.commandAppends)} commands). The query targets are stated at ${n(QUERY_TARGET_CASES)} cases ` +
      `and the memory target at ${n(MEMORY_TARGET_EVENTS)} events: this run is ${shareOf(d.cases, QUERY_TARGET_CASES)} and ${shareOf(d.events, MEMORY_TARGET_EVENTS)} of those sizes. ` +
      'A target stated at a size this run did not reach is reported, not judged.',
  );
  out.push('');
  out.push('| Figure | Measured | Reference | Ratio | Target | Met |');
  out.push('|---|---|---|---|---|---|');
  for (const row of r.rows) out.push(`| ${row.figure} | ${row.measured} | ${row.reference} | ${row.ratio} | ${row.target} | ${metText(row)} |`);
  out.push('');

  out.push('## The log');
  out.push('');
  out.push(
    (b.reused ? `Reused from an earlier run (\`log.json\` with the same cases and seed): built on ${b.builtAt.slice(0, 16).replace('T', ' ')} UTC, on commit \`${b.builtOnCommit}\`. ` : `Built in this run, on commit \`${b.builtOnCommit}\`. `) +
      'Case by case (`generateCase`), each command staged as a row of a SQLite table, never the whole data set in memory ' +
      `(the building process peaked at ${mibText(b.builderMaxRss)} RSS); then the staged commands in global recording order (recorded instant, case index, order within the case), ` +
      'each appended through `SqliteEventStore` with the store\'s clock at its recording instant, as `seedSqliteLog` and the main harness do.',
  );
  out.push('');
  out.push('| Step | Seconds | Rate |');
  out.push('|---|---|---|');
  out.push(`| generation + staging (${n(d.cases)} cases) | ${s1(b.generateAndStageSeconds)} | ${n(d.cases / b.generateAndStageSeconds)} cases/s, ${rate(d.events / b.generateAndStageSeconds)} |`);
  out.push(`| index on the recording order | ${s1(b.indexSeconds)} | |`);
  out.push(`| appends through the port (${n(b.appends.appends)} commands) | ${s1(b.appends.seconds)} | ${rate(b.appends.eventsPerSecond)}, ${n(b.appends.appends / b.appends.seconds)} appends/s |`);
  out.push('');
  out.push(`The log file (\`events.sqlite\`): ${mibText(b.logBytes)}.`);
  out.push('');

  out.push('## Rebuild');
  out.push('');
  out.push('| Run | Events | Seconds | Events/s | Peak RSS (sampled) | Max RSS (kernel) |');
  out.push('|---|---|---|---|---|---|');
  out.push(`| Projector.rebuild() | ${n(rb.port.events)} | ${rb.port.seconds.toFixed(2)} | ${n(rb.port.eventsPerSecond)} | ${mibText(rb.port.peakRssSampled)} | ${mibText(rb.port.maxRss)} |`);
  out.push(`| raw read + JSON.parse | ${n(rb.raw.events)} | ${rb.raw.seconds.toFixed(2)} | ${n(rb.raw.eventsPerSecond)} | ${mibText(rb.raw.peakRssSampled)} | ${mibText(rb.raw.maxRss)} |`);
  out.push('');
  out.push(
    `Read-model rows after the rebuild: ${Object.entries(rb.port.readModelRows).map(([k, v]) => `${k} ${n(v)}`).join(', ')} (closedRows: history rows a later event ended, written with their final \`recorded_to\`). ` +
      (rb.port.heapRetainedAfter !== null ? `Heap still in use after the rebuild, after a full GC: ${mibText(rb.port.heapRetainedAfter)}. ` : '') +
      'Each figure ran in a process of its own, on a fresh read-model file.',
  );
  out.push('');

  out.push('## Queries');
  out.push('');
  queryTable(out, q);

  out.push('## Data set');
  out.push('');
  out.push(
    `${n(d.cases)} cases, ${n(d.events)} events in ${n(d.commandAppends)} commands (${s1(d.eventsPerCase.mean)} events per case, ${d.eventsPerCase.min}–${d.eventsPerCase.max}), recorded ${d.firstRecordedAt.slice(0, 10)} … ${d.lastRecordedAt.slice(0, 10)}. ` +
      `Refused by the decider and dropped: ${n(d.refusedProposals)} proposals in valid-time order, ${n(d.refusedInRecordingOrder)} commands in recording order. ` +
      `${n(d.backdated)} backdated events (recorded after an event of the same case with a later day), ${n(d.recordedLate)} recorded on a later day than they happened, ${n(d.reported)} \`reported\` events, ${n(d.confirmations)} confirmations, ${n(d.retractions)} retractions.`,
  );
  out.push('');
  eventTypesAndFooter(out, d.byType);
  return out.join('\n');
}
