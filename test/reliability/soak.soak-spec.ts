import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import {
  type Answer,
  auditLog,
  type Command,
  DATABASE_URL,
  type Deployment,
  missingAcknowledged,
  newDeployment,
  openCaseCommand,
  openCases,
  openStore,
  type RunningApi,
  sendCommand,
  sleep,
  startApi,
  type StoreKind,
  transferCommand,
  waitForProjection,
} from './support/harness.js';

/**
 * The long run (`npm run soak`, outside CI): the built API at a steady, open-loop write and read
 * load (requests start on a schedule, whether or not earlier ones have been answered, so a slower
 * server shows as latency, not as less load). Every minute it reports the API's RSS and the p50 and
 * p99 latency of writes and reads; at the end, the growth of RSS and the drift of latency from the
 * first minutes to the last, and that every acknowledged command is in a log that verifies.
 *
 * Settings: SOAK_MINUTES (default 10), SOAK_STORE (sqlite or postgres, default sqlite),
 * SOAK_WRITES_PER_SECOND (default 15), SOAK_READS_PER_SECOND (default 15), SOAK_OUT (a file for the
 * markdown report), SOAK_HEAP_CAP_MB (starts the API with `--max-old-space-size` at that many MB).
 *
 * RSS alone cannot tell a leak from garbage V8 has not collected yet: it grows towards whatever the
 * heap limit allows. With the heap capped, a leak ends the run (the API dies out of memory and the
 * requests fail); an API that finishes with no errors held less than the cap all along.
 */
const MINUTES = Number(process.env['SOAK_MINUTES'] ?? 10);
const STORE = (process.env['SOAK_STORE'] ?? 'sqlite') as StoreKind;
const WRITES_PER_SECOND = Number(process.env['SOAK_WRITES_PER_SECOND'] ?? 15);
const READS_PER_SECOND = Number(process.env['SOAK_READS_PER_SECOND'] ?? 15);
const HEAP_CAP_MB = process.env['SOAK_HEAP_CAP_MB'] ? Number(process.env['SOAK_HEAP_CAP_MB']) : null;
const MAX_IN_FLIGHT = 200;

const say = (line: string) => process.stdout.write(`${line}\n`);

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function rssMegabytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

interface Minute {
  minute: number;
  rssMb: number;
  writes: number;
  reads: number;
  errors: number;
  writeP50: number;
  writeP99: number;
  readP50: number;
  readP99: number;
  events: number;
  load: number;
}

describe('soak', () => {
  let deployment: Deployment;
  let api: RunningApi | null = null;
  afterAll(async () => {
    await api?.process.kill();
    await deployment?.dispose();
  });

  it(`runs a steady write and read load for ${MINUTES} minutes, reporting memory and latency each minute, and loses nothing`, async () => {
    if (STORE === 'postgres' && !DATABASE_URL) throw new Error('SOAK_STORE=postgres needs DATABASE_URL');
    deployment = newDeployment(STORE);
    if (HEAP_CAP_MB !== null) deployment.env['NODE_OPTIONS'] = `--max-old-space-size=${HEAP_CAP_MB}`;
    api = await startApi(deployment);
    const client = api.client;
    const pid = api.process.child.pid!;
    const cases = await openCases(client, 100);
    const cap = HEAP_CAP_MB === null ? '' : `, API heap capped at ${HEAP_CAP_MB} MB`;
    say(`soak: ${MINUTES} min on ${STORE}, ${WRITES_PER_SECOND} writes/s and ${READS_PER_SECOND} reads/s (open loop)${cap}, API pid ${pid}`);
    say('| minute | RSS MB | writes | reads | errors | write p50 ms | write p99 ms | read p50 ms | read p99 ms | log events | machine load |');
    say('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');

    const acknowledged: { command: Command; answer: Answer }[] = [];
    const errors: string[] = [];
    const emptyWindow = () => ({ writes: [] as number[], reads: [] as number[], byRoute: new Map<string, number[]>(), errors: 0 });
    let window = emptyWindow();
    let inFlight = 0;
    let skipped = 0;
    let n = 0;
    // Commands go to any case opened so far, so streams stay as short as real ones (about ten events).
    const anyCase = () => cases[Math.floor(Math.random() * cases.length)]!;
    const reads: [string, () => string][] = [
      ['stats', () => '/api/stats?asOf=2026-01-01&groupBy=facility'],
      ['case', () => `/api/cases/${anyCase()}`],
      ['list', () => '/api/cases?pageSize=20'],
      ['flows', () => '/api/stats/flows?from=2025-01-01&to=2026-01-01'],
    ];
    const fire = (task: () => Promise<void>) => {
      if (inFlight >= MAX_IN_FLIGHT) {
        skipped++;
        return;
      }
      inFlight++;
      void task().finally(() => inFlight--);
    };
    const write = async () => {
      const command = ++n % 5 === 0 ? openCaseCommand() : transferCommand(anyCase());
      const answer = await sendCommand(client, command, { timeoutMs: 30_000 });
      if (answer.status === 201) {
        acknowledged.push({ command, answer });
        if (command.path === '/api/cases') cases.push(answer.body!['caseId'] as string);
        window.writes.push(answer.ms);
      } else {
        window.errors++;
        if (errors.length < 20) errors.push(`${command.path} -> ${answer.status || answer.failure} ${JSON.stringify(answer.body)}`);
      }
    };
    const read = async () => {
      const [route, pathOf] = reads[Math.floor(Math.random() * reads.length)]!;
      const path = pathOf();
      const answer = await client.get(path, 30_000);
      if (answer.status === 200) {
        window.reads.push(answer.ms);
        window.byRoute.set(route, [...(window.byRoute.get(route) ?? []), answer.ms]);
      } else {
        window.errors++;
        if (errors.length < 20) errors.push(`${path} -> ${answer.status || answer.failure} ${JSON.stringify(answer.body)}`);
      }
    };

    const minutes: Minute[] = [];
    const started = Date.now();
    let nextWrite = started;
    let nextRead = started;
    let nextReport = started + 60_000;
    while (minutes.length < MINUTES) {
      const now = Date.now();
      while (nextWrite <= now) {
        fire(write);
        nextWrite += 1000 / WRITES_PER_SECOND;
      }
      while (nextRead <= now) {
        fire(read);
        nextRead += 1000 / READS_PER_SECOND;
      }
      if (now >= nextReport) {
        const w = [...window.writes].sort((a, b) => a - b);
        const r = [...window.reads].sort((a, b) => a - b);
        const head = await client.get('/health', 10_000);
        const events = Number(/"head":(\d+)/.exec(JSON.stringify(head.body))?.[1] ?? NaN);
        const m: Minute = {
          minute: minutes.length + 1,
          rssMb: rssMegabytes(pid),
          writes: w.length,
          reads: r.length,
          errors: window.errors,
          writeP50: percentile(w, 50),
          writeP99: percentile(w, 99),
          readP50: percentile(r, 50),
          readP99: percentile(r, 99),
          events,
          load: loadavg()[0]!,
        };
        minutes.push(m);
        say(`| ${m.minute} | ${m.rssMb.toFixed(0)} | ${m.writes} | ${m.reads} | ${m.errors} | ${m.writeP50.toFixed(1)} | ${m.writeP99.toFixed(1)} | ${m.readP50.toFixed(1)} | ${m.readP99.toFixed(1)} | ${m.events} | ${m.load.toFixed(1)} |`);
        say(
          `  read p99 by route: ${[...window.byRoute].map(([route, ms]) => `${route} ${percentile(ms.sort((a, b) => a - b), 99).toFixed(1)} ms`).join(', ')}`,
        );
        window = emptyWindow();
        nextReport += 60_000;
      }
      await sleep(2);
    }
    while (inFlight > 0) await sleep(10);

    const first = minutes[0]!;
    const last = minutes[minutes.length - 1]!;
    // Whether RSS levels off: its growth per minute over the first third of the run against the last third.
    const third = Math.floor((minutes.length - 1) / 3);
    const growth = (from: Minute, to: Minute) => `${((to.rssMb - from.rssMb) / (to.minute - from.minute)).toFixed(2)} MB/min from minute ${from.minute} to ${to.minute}`;
    const summary = [
      `RSS: ${first.rssMb.toFixed(0)} MB after minute 1, ${last.rssMb.toFixed(0)} MB after minute ${last.minute} (${(last.rssMb - first.rssMb).toFixed(0)} MB, ${((last.rssMb / first.rssMb - 1) * 100).toFixed(0)}%)`,
      third === 0 ? 'RSS growth: too few minutes to compare the start with the end' : `RSS growth: ${growth(first, minutes[third]!)}, ${growth(minutes[minutes.length - 1 - third]!, last)}`,
      `write p50/p99: ${first.writeP50.toFixed(1)}/${first.writeP99.toFixed(1)} ms in minute 1, ${last.writeP50.toFixed(1)}/${last.writeP99.toFixed(1)} ms in minute ${last.minute}`,
      `read p50/p99: ${first.readP50.toFixed(1)}/${first.readP99.toFixed(1)} ms in minute 1, ${last.readP50.toFixed(1)}/${last.readP99.toFixed(1)} ms in minute ${last.minute}`,
      `${acknowledged.length} commands acknowledged, ${minutes.reduce((s, m) => s + m.errors, 0)} errors, ${skipped} requests not sent (more than ${MAX_IN_FLIGHT} in flight)`,
    ];
    for (const line of summary) say(line);
    for (const e of errors) say(`error: ${e}`);

    await waitForProjection(client, 300_000);
    const verify = await client.get('/api/audit/verify', 300_000);
    await api.process.kill('SIGTERM');
    api = null;
    const store = await openStore(deployment);
    let audit;
    try {
      audit = await auditLog(store);
    } finally {
      await store.close();
    }
    say(`log: ${audit.events} events in ${audit.streams} streams, chain ${audit.chainValid ? 'intact' : 'BROKEN'}`);
    if (process.env['SOAK_OUT']) {
      const table = [
        `# Soak: ${MINUTES} min on ${STORE}, ${WRITES_PER_SECOND} writes/s + ${READS_PER_SECOND} reads/s${cap}`,
        '',
        '| minute | RSS MB | writes | reads | errors | write p50 ms | write p99 ms | read p50 ms | read p99 ms | log events | machine load |',
        '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
        ...minutes.map((m) => `| ${m.minute} | ${m.rssMb.toFixed(0)} | ${m.writes} | ${m.reads} | ${m.errors} | ${m.writeP50.toFixed(1)} | ${m.writeP99.toFixed(1)} | ${m.readP50.toFixed(1)} | ${m.readP99.toFixed(1)} | ${m.events} | ${m.load.toFixed(1)} |`),
        '',
        ...summary.map((l) => `- ${l}`),
        `- log: ${audit.events} events in ${audit.streams} streams, chain ${audit.chainValid ? 'intact' : 'BROKEN'}`,
        '',
      ];
      writeFileSync(process.env['SOAK_OUT'], table.join('\n'));
    }

    expect(minutes.length).toBeGreaterThanOrEqual(MINUTES);
    expect(errors).toEqual([]);
    expect(verify.body).toMatchObject({ valid: true });
    expect(missingAcknowledged(audit, acknowledged)).toEqual([]);
    expect(audit).toMatchObject({ contiguousStreams: true, contiguousPositions: true, everyEventIntact: true, chainValid: true, partialCommands: [] });
  });
});
