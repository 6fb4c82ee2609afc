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
 * PostgreSQL ends the API's connections (`pg_terminate_backend`, the 57P01 a server shutdown
 * sends) again and again under write load, without stopping the server for anyone else: every
 * answer is 2xx or 503, the process survives (a connection ended while checked out between two
 * queries used to crash it), and nothing acknowledged is lost.
 */
const describeOnPostgres = DATABASE_URL ? describe : describe.skip;

describeOnPostgres('connections ended by the server under load (PostgreSQL)', () => {
  let deployment: Deployment;
  let api: RunningApi | null = null;
  afterAll(async () => {
    await api?.process.kill();
    await deployment?.dispose();
  });

  it('the API survives its connections being terminated mid-load, answers only 2xx or 503 with Retry-After, and loses no acknowledged command', async () => {
    deployment = newDeployment('postgres');
    api = await startApi(deployment);
    const client = api.client;
    const cases = await openCases(client, 6);
    const schema = deployment.env['DATABASE_SCHEMA']!;
    const acknowledged: { command: Command; answer: Answer }[] = [];
    const answers: Answer[] = [];
    let stop = false;
    let n = 0;
    const writer = async () => {
      while (!stop) {
        const command = ++n % 3 === 0 ? openCaseCommand() : transferCommand(cases[n % cases.length]!);
        for (let attempt = 0; attempt < 50; attempt++) {
          const answer = await sendCommand(client, command, { timeoutMs: 10_000 });
          answers.push(answer);
          if (answer.status === 201) acknowledged.push({ command, answer });
          if (answer.status !== 503) break;
          await sleep(50);
        }
      }
    };
    const load = Array.from({ length: 10 }, writer);

    // Only this deployment's connections: their last query names its schema.
    const killer = new pg.Client({ connectionString: DATABASE_URL });
    await killer.connect();
    let terminated = 0;
    try {
      const until = Date.now() + 4000;
      while (Date.now() < until) {
        await sleep(100 + Math.random() * 200);
        const { rows } = await killer.query<{ ended: boolean }>(
          `SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND datname = current_database() AND query LIKE $1`,
          [`%"${schema}"%`],
        );
        terminated += rows.filter((r) => r.ended).length;
      }
    } finally {
      await killer.end();
    }
    await sleep(1500);
    stop = true;
    await Promise.all(load);

    const unavailable = answers.filter((a) => a.status === 503);
    const failures = answers.filter((a) => a.status !== 201 && a.status !== 503);
    console.info(`connection loss: ${terminated} connections terminated, ${answers.length} answers, ${unavailable.length} were 503, ${acknowledged.length} commands acknowledged`);
    expect({ exitCode: api.process.child.exitCode, signal: api.process.child.signalCode }).toEqual({ exitCode: null, signal: null });
    expect(terminated).toBeGreaterThan(10);
    expect(failures.map((a) => `${a.status || a.failure} ${JSON.stringify(a.body)}`)).toEqual([]);
    for (const a of unavailable) expect(a.headers?.get('retry-after')).toMatch(/^\d+$/);

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
