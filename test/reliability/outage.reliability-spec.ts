import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import pg from 'pg';
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
  readModelsAndRebuild,
  type RunningApi,
  sendCommand,
  sleep,
  startApi,
  transferCommand,
  waitForProjection,
} from './support/harness.js';

/**
 * PostgreSQL stopped under load and started again a few seconds later. Meanwhile every answer is a
 * success or a 503 with Retry-After (never a 500, never a request left hanging), `/health` says
 * down; afterwards the API serves again by itself, and every acknowledged command is in the log.
 *
 * Stopping the server stops it for every process on the machine: the outage is kept short and the
 * server is always started again (in `finally` and in `afterAll`).
 */
const OUTAGE_MS = 3000;
const REQUEST_DEADLINE_MS = 8000;
const describeOnPostgres = DATABASE_URL ? describe : describe.skip;

const cluster = () => {
  const versions = readdirSync('/etc/postgresql');
  if (versions.length !== 1) throw new Error(`expected one PostgreSQL cluster version in /etc/postgresql, found ${versions.join(', ')}`);
  return [versions[0]!, 'main'];
};
const pgctl = (action: 'start' | 'stop') =>
  execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', ...cluster(), action, ...(action === 'stop' ? ['-m', 'fast'] : [])], { stdio: 'pipe' });

async function postgresAccepts(): Promise<boolean> {
  const client = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Starts PostgreSQL if it is down, and waits until it accepts connections. */
async function ensurePostgresRunning(): Promise<void> {
  if (await postgresAccepts()) return;
  try {
    pgctl('start');
  } catch {
    // Already starting or running: the wait below decides.
  }
  const deadline = Date.now() + 60_000;
  while (!(await postgresAccepts())) {
    if (Date.now() > deadline) throw new Error('PostgreSQL did not come back within 60 s');
    await sleep(100);
  }
}

interface Observed {
  at: number;
  what: string;
  answer: Answer;
}

describeOnPostgres('PostgreSQL outage under load', () => {
  let deployment: Deployment;
  let api: RunningApi | null = null;
  afterAll(async () => {
    await ensurePostgresRunning();
    await api?.process.kill();
    await deployment?.dispose();
  });

  it('while PostgreSQL is down every answer is 2xx or 503 with Retry-After (no 500, no hang), /health is down, and afterwards the API recovers by itself with every acknowledged command stored', async () => {
    deployment = newDeployment('postgres');
    api = await startApi(deployment);
    const client = api.client;
    const cases = await openCases(client, 6);
    const observed: Observed[] = [];
    const acknowledged: { command: Command; answer: Answer }[] = [];
    let stop = false;
    let n = 0;

    // Writers retry a command answered 503 with its Idempotency-Key, as a client told Retry-After would.
    const writer = async () => {
      while (!stop) {
        const command = ++n % 3 === 0 ? openCaseCommand() : transferCommand(cases[n % cases.length]!);
        for (;;) {
          const answer = await sendCommand(client, command, { timeoutMs: REQUEST_DEADLINE_MS });
          observed.push({ at: Date.now(), what: `POST ${command.path}`, answer });
          if (answer.status === 201) {
            acknowledged.push({ command, answer });
            break;
          }
          if (answer.status !== 503 || stop) break;
          await sleep(100);
        }
      }
    };
    const reader = async (path: string) => {
      while (!stop) {
        observed.push({ at: Date.now(), what: `GET ${path}`, answer: await client.get(path, REQUEST_DEADLINE_MS) });
        await sleep(20);
      }
    };
    const load = [...Array.from({ length: 10 }, writer), reader('/api/stats?asOf=2026-01-01'), reader(`/api/cases/${cases[0]}`), reader('/api/cases?pageSize=5')];

    let stoppedAt = 0;
    let startedAt = 0;
    const healthDuringOutage: Answer[] = [];
    try {
      await sleep(1000);
      stoppedAt = Date.now();
      pgctl('stop');
      while (Date.now() - stoppedAt < OUTAGE_MS) {
        healthDuringOutage.push(await client.get('/health', REQUEST_DEADLINE_MS));
        await sleep(300);
      }
    } finally {
      startedAt = Date.now();
      await ensurePostgresRunning();
    }
    // Recovery by itself: keep the load on until commands succeed again, at most 60 s.
    const recoveryDeadline = Date.now() + 60_000;
    let recoveredAt = 0;
    while (Date.now() < recoveryDeadline) {
      const since = observed.filter((o) => o.at > startedAt + 500);
      if (since.some((o) => o.what.startsWith('POST') && o.answer.status === 201) && since.some((o) => o.what.startsWith('GET') && o.answer.status === 200)) {
        recoveredAt = Date.now();
        break;
      }
      await sleep(100);
    }
    await sleep(1000);
    stop = true;
    await Promise.all(load);

    const during = observed.filter((o) => o.at > stoppedAt && o.at < startedAt);
    const failures = observed.filter((o) => !(o.answer.status >= 200 && o.answer.status < 300) && o.answer.status !== 503);
    const unavailable = observed.filter((o) => o.answer.status === 503);
    // Summary for the report.
    console.info(
      `outage: ${observed.length} requests, ${during.length} during the ${OUTAGE_MS} ms outage, ${unavailable.length} answered 503, ` +
        `${acknowledged.length} commands acknowledged, recovered ${recoveredAt ? recoveredAt - startedAt : 'never'} ms after the restart began`,
    );
    if (failures.length > 0) console.info(`API output:\n${api.process.output.slice(-60).join('\n')}`);
    // The API process itself survived: a connection ended by the server must never crash it.
    expect({ exitCode: api.process.child.exitCode, signal: api.process.child.signalCode }).toEqual({ exitCode: null, signal: null });
    expect(failures.map((o) => `${o.what} -> ${o.answer.status || o.answer.failure} ${JSON.stringify(o.answer.body)}`)).toEqual([]);
    expect(unavailable.length).toBeGreaterThan(0);
    for (const o of unavailable) {
      expect(o.answer.headers?.get('retry-after')).toMatch(/^\d+$/);
      expect(o.answer.body).toMatchObject({ status: 503 });
    }
    expect(healthDuringOutage.length).toBeGreaterThan(0);
    expect(healthDuringOutage.some((h) => h.status === 503)).toBe(true);
    expect(recoveredAt).toBeGreaterThan(0);
    const health = await client.get('/health');
    expect(health.status).toBe(200);

    await waitForProjection(client);
    await api.process.kill('SIGTERM');
    api = null;
    const store = await openStore(deployment);
    try {
      const audit = await auditLog(store);
      expect(missingAcknowledged(audit, acknowledged)).toEqual([]);
      expect(audit).toMatchObject({ contiguousStreams: true, contiguousPositions: true, everyEventIntact: true, chainValid: true, partialCommands: [] });
      const { live, rebuilt } = await readModelsAndRebuild(deployment, store);
      expect(live).toEqual(rebuilt);
    } finally {
      await store.close();
    }
  });
});
