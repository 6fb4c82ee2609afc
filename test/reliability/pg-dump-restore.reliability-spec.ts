import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { DIST } from '../support/processes.js';
import {
  type Answer,
  DATABASE_URL,
  type Deployment,
  newDeployment,
  openCases,
  type RunningApi,
  sleep,
  startApi,
  waitForProjection,
  steadyWriters,
} from './support/harness.js';

/**
 * The PostgreSQL backup the README documents: `pg_dump` of the deployment's schema while the API
 * keeps writing, `pg_restore` into another database, then `cli verify` and the same statistics as
 * the original answered at the dump's position.
 */
const run = promisify(execFile);
const describeOnPostgres = DATABASE_URL ? describe : describe.skip;

describeOnPostgres('pg_dump and pg_restore (PostgreSQL)', () => {
  let deployment: Deployment;
  let api: RunningApi | null = null;
  let restoredApi: RunningApi | null = null;
  const database = `pct_restore_${randomBytes(4).toString('hex')}`;
  const dumpDir = mkdtempSync(join(tmpdir(), 'pct-rel-pgdump-'));
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  afterAll(async () => {
    await api?.process.kill();
    await restoredApi?.process.kill();
    await admin.query(`DROP DATABASE IF EXISTS ${database}`).catch(() => undefined);
    await admin.end();
    await deployment?.dispose();
    rmSync(dumpDir, { recursive: true, force: true });
  });

  it('a pg_dump of the schema taken under writes restores to a log that verifies and answers the same statistics as the original at that position', async () => {
    await admin.connect();
    deployment = newDeployment('postgres');
    api = await startApi(deployment);
    const cases = await openCases(api.client, 10);
    const writers = steadyWriters(api.client, cases, 4);
    const { acknowledged } = writers;
    await sleep(500);
    const dump = join(dumpDir, 'pct.dump');
    const schema = deployment.env['DATABASE_SCHEMA']!;
    const before = acknowledged.length;
    await run('pg_dump', ['--format=custom', `--schema=${schema}`, `--file=${dump}`, DATABASE_URL!]);
    const during = acknowledged.length - before;
    await sleep(300);
    await writers.stop();
    expect(during).toBeGreaterThan(0);

    await admin.query(`CREATE DATABASE ${database}`);
    const restoredUrl = new URL(DATABASE_URL!);
    restoredUrl.pathname = `/${database}`;
    await run('pg_restore', ['--no-owner', `--dbname=${restoredUrl}`, dump]);
    const restoredEnv = { ...deployment.env, DATABASE_URL: restoredUrl.toString() };
    const verify = await run(process.execPath, [DIST.cli, 'verify'], { env: { ...process.env, NODE_OPTIONS: '', ...restoredEnv } });
    const head = Number(/chain intact: (\d+) events checked/.exec(verify.stdout)?.[1]);
    expect(head).toBeGreaterThan(0);

    await waitForProjection(api.client);
    const queries = ['/api/stats?asOf=2026-01-01&groupBy=facility', '/api/stats?asOf=2025-06-30&verification=all'];
    const original: Answer[] = [];
    for (const q of queries) original.push(await api.client.get(`${q}&atPosition=${head}`));
    expect(original.map((a) => a.status)).toEqual([200, 200]);
    expect(original[0]!.body!['deprivedOfLiberty']).toBeGreaterThan(0);

    restoredApi = await startApi({ ...deployment, env: restoredEnv });
    await waitForProjection(restoredApi.client);
    const restored: Answer[] = [];
    for (const q of queries) restored.push(await restoredApi.client.get(q));
    const comparable = (a: Answer) => ({ status: a.status, ...a.body, knownAt: undefined });
    expect(restored.map(comparable)).toEqual(original.map(comparable));
    // Names read back: the data keys are in the same schema, so in the same dump.
    const someCase = await restoredApi.client.get(`/api/cases/${cases[0]}`);
    expect(JSON.stringify(someCase.body)).toMatch(/Persona \d+/);
  });
});
