import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DIST } from '../support/processes.js';
import {
  type Answer,
  auditLog,
  type Deployment,
  missingAcknowledged,
  newDeployment,
  openCases,
  openStore,
  type RunningApi,
  sleep,
  startApi,
  waitForProjection,
  steadyWriters,
} from './support/harness.js';

/**
 * `cli backup` while the API keeps writing, then `cli restore` into an empty DATA_DIR: the restored
 * log verifies, is exactly the original up to the backup's head, and answers the same statistics
 * as the original did at that position (also after a rebuild); names can still be read (keys).
 */
const run = promisify(execFile);
const cli = (env: Record<string, string>, ...args: string[]) => run(process.execPath, [DIST.cli, ...args], { env: { ...process.env, NODE_OPTIONS: '', ...env } });

describe('backup and restore (SQLite)', () => {
  let original: Deployment;
  let restored: Deployment;
  const apis: RunningApi[] = [];
  const dirs: string[] = [];
  afterAll(async () => {
    for (const api of apis) await api.process.kill();
    await original?.dispose();
    await restored?.dispose();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('an online backup taken under writes restores to a log that verifies, is a prefix of the original, and answers the same statistics (also after rebuild)', async () => {
    original = newDeployment('sqlite');
    const api = await startApi(original);
    apis.push(api);
    const cases = await openCases(api.client, 20);

    // Writers keep going for the whole backup.
    const writers = steadyWriters(api.client, cases, 6);
    const { acknowledged } = writers;
    await sleep(300);
    const backupDir = mkdtempSync(join(tmpdir(), 'pct-rel-backup-'));
    dirs.push(backupDir);
    const before = acknowledged.length;
    const backup = await cli(original.env, 'backup', '--to', join(backupDir, 'b'));
    const during = acknowledged.length - before;
    await sleep(200);
    await writers.stop();
    expect(backup.stdout).toMatch(/chain intact/);
    expect(during).toBeGreaterThan(0); // writes really continued while the backup ran
    const manifest = JSON.parse(readFileSync(join(backupDir, 'b', 'backup.json'), 'utf8')) as { head: { position: number; hash: string }; files: { file: string }[] };
    expect(manifest.files.map((f) => f.file)).toEqual(['read-models.sqlite', 'events.sqlite', 'keys.sqlite']);

    const originalStore = await openStore(original);
    const originalHead = await originalStore.headPosition();
    expect(manifest.head.position).toBeGreaterThan(0);
    expect(manifest.head.position).toBeLessThan(originalHead); // the log went on after the backup

    // Restore into an empty DATA_DIR with the same master key.
    // The tokens come back with the read-model file: the original admin token works there.
    restored = { ...newDeployment('sqlite', { MASTER_KEY: original.env['MASTER_KEY']!, BOOTSTRAP_ADMIN_TOKEN: original.admin }), admin: original.admin };
    rmSync(restored.dataDir, { recursive: true, force: true });
    const restore = await cli(restored.env, 'restore', '--from', join(backupDir, 'b'));
    expect(restore.stdout).toMatch(/chain intact/);
    await expect(cli(restored.env, 'restore', '--from', join(backupDir, 'b'))).rejects.toMatchObject({ code: 2 });
    const verify = await cli(restored.env, 'verify');
    expect(verify.stdout).toMatch(new RegExp(`chain intact: ${manifest.head.position} events checked, head ${manifest.head.position} ${manifest.head.hash}`));

    // The restored log is exactly the original's first events, byte for byte (same hashes).
    const restoredStore = await openStore(restored);
    try {
      const restoredAudit = await auditLog(restoredStore);
      expect(restoredAudit).toMatchObject({ events: manifest.head.position, contiguousStreams: true, everyEventIntact: true, chainValid: true, partialCommands: [] });
      const originalAudit = await auditLog(originalStore);
      expect(missingAcknowledged(originalAudit, acknowledged)).toEqual([]);
      const originalPrefix = [...originalAudit.byCommand.values()].flat().filter((e) => e.position <= manifest.head.position).map((e) => e.hash).sort();
      expect([...restoredAudit.byCommand.values()].flat().map((e) => e.hash).sort()).toEqual(originalPrefix);
    } finally {
      await restoredStore.close();
      await originalStore.close();
    }

    // Same statistics: the original at the backup's position, the restored API now, and after a rebuild.
    await waitForProjection(api.client);
    const queries = ['/api/stats?asOf=2026-01-01&groupBy=facility', '/api/stats?asOf=2025-06-30&verification=all'];
    const originalAnswers: Answer[] = [];
    for (const q of queries) originalAnswers.push(await api.client.get(`${q}&atPosition=${manifest.head.position}`));
    expect(originalAnswers.map((a) => a.status)).toEqual([200, 200]);
    expect(originalAnswers[0]!.body).toMatchObject({ position: manifest.head.position });
    expect(originalAnswers[0]!.body!['deprivedOfLiberty']).toBeGreaterThan(0);
    const restoredAnswers = async () => {
      const restoredApi = await startApi(restored);
      apis.push(restoredApi);
      await waitForProjection(restoredApi.client);
      const answers: Answer[] = [];
      for (const q of queries) answers.push(await restoredApi.client.get(q));
      // A name written before the backup reads back: the key store came along and the master key opens it.
      const someCase = await restoredApi.client.get(`/api/cases/${cases[0]}`);
      await restoredApi.process.kill('SIGTERM');
      return { answers, someCase };
    };
    const first = await restoredAnswers();
    expect(first.someCase.status).toBe(200);
    expect(JSON.stringify(first.someCase.body)).toMatch(/Persona \d+/);
    const comparable = (a: Answer) => ({ status: a.status, ...a.body, knownAt: undefined });
    expect(first.answers.map(comparable)).toEqual(originalAnswers.map(comparable));
    await cli(restored.env, 'rebuild');
    const second = await restoredAnswers();
    expect(second.answers.map(comparable)).toEqual(originalAnswers.map(comparable));
  });
});
