import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateAccessToken } from '#application';
import { SqliteEventStore } from '#event-store';
import { startApiProcess } from './support/processes.js';

/**
 * SIGTERM while commands are in flight: the API stops taking new connections, answers the
 * requests it accepted, closes its stores and exits 0; every command it acknowledged is in the log.
 */
describe('graceful shutdown', () => {
  it('answers in-flight commands before exiting, and every acknowledged command is stored', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pct-shutdown-'));
    const admin = generateAccessToken();
    const { process: api, origin } = await startApiProcess({ EVENT_STORE: 'sqlite', DATA_DIR: dataDir, BOOTSTRAP_ADMIN_TOKEN: admin });
    try {
      const base = `${origin}/api`;
      const send = (i: number) =>
        fetch(`${base}/cases`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}`, 'Idempotency-Key': `shutdown-${i}` },
          body: JSON.stringify({ person: { fullName: `P${i}`, nationalities: ['VE'], gender: 'male', minor: false, affiliation: 'civilian' }, detention: { occurredOn: '2025-01-01' } }),
        }).then(
          async (r) => ({ status: r.status, caseId: ((await r.json()) as { caseId?: string }).caseId }),
          () => ({ status: 0, caseId: undefined }),
        );
      const inFlight = Array.from({ length: 40 }, (_, i) => send(i));
      await new Promise((r) => setTimeout(r, 5));
      api.child.kill('SIGTERM');
      const answers = await Promise.all(inFlight);
      const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        api.child.exitCode !== null || api.child.signalCode !== null
          ? resolve({ code: api.child.exitCode, signal: api.child.signalCode })
          : api.child.once('exit', (code, signal) => resolve({ code, signal })),
      );
      // Nest re-raises the signal once its shutdown hooks are done; the log says the stores closed first.
      expect(exit.code === 0 || exit.signal === 'SIGTERM').toBe(true);
      expect(api.output.some((l) => /event store closed after SIGTERM/.test(l))).toBe(true);
      // Accepted requests were answered (no 5xx); the rest were refused before any work.
      expect(answers.every((a) => a.status === 201 || a.status === 0)).toBe(true);
      const acknowledged = answers.filter((a) => a.status === 201).map((a) => a.caseId);
      expect(acknowledged.length).toBeGreaterThan(0);

      const store = new SqliteEventStore({ filename: join(dataDir, 'events.sqlite') });
      try {
        for (const caseId of acknowledged) expect(await store.readStream(`case-${caseId}`)).toHaveLength(2);
      } finally {
        await store.close();
      }
    } finally {
      await api.kill();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
