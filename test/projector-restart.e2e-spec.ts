import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { CaseCommandExecutor } from '#application';
import { addDays, caseDecider, DomainError, type CaseCommand } from '#domain';
import { SqliteEventStore } from '#event-store';
import { CaseHistoryProjection, FiguresProjection, openSqliteReadModels, ProjectionCheckpointEntity, Projector } from '#projections';
import { dumpReadModels } from './support/read-models.js';

/**
 * A projector killed with SIGKILL in the middle of catching up, then started again, must end with
 * exactly the read models of a clean rebuild: no event skipped, none applied twice.
 */
const ROOT = join(import.meta.dirname, '..');
const CLI = join(ROOT, 'dist/apps/cli/src/main.js');
const TZ = { timeZone: 'America/Caracas' };

async function seedLog(dataDir: string): Promise<number> {
  let t = Date.parse('2026-03-01T12:00:00Z');
  const clock = { now: () => new Date((t += 1000)) };
  const store = new SqliteEventStore({ filename: join(dataDir, 'events.sqlite'), now: () => clock.now() });
  let n = 0;
  const executor = new CaseCommandExecutor(store, clock, { next: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}` }, caseDecider(TZ));
  const ctx = { actor: 'seed', correlationId: 'seed', causationId: null, idempotencyKey: null, expectedVersion: null };
  const facts = (day: string, verification: 'confirmed' | 'reported' = 'confirmed') => ({ occurredOn: day, datePrecision: 'day' as const, source: null, verification });
  for (let i = 0; i < 150; i++) {
    const caseId = `20000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const detained = addDays('2024-01-01', i * 3);
    await executor.execute(
      {
        type: 'OpenCase',
        caseId,
        source: null,
        data: { nameWithheld: false, nationalities: i % 5 ? ['VE'] : ['CO', 'VE'], gender: i % 2 ? 'male' : 'female', minor: false, affiliation: 'civilian', externalReference: null },
        personal: { fullName: `P ${i}`, birthYear: null },
        firstDetention: { facts: facts(detained), data: { facility: 'El Helicoide', arrestingAuthority: null, charges: [] }, personal: null },
      },
      ctx,
    );
    const steps: CaseCommand[] = [
      { type: 'RecordRelease', caseId, facts: facts(addDays('2026-01-08', i % 40), i % 7 ? 'confirmed' : 'reported'), data: { legalBasis: 'government_announcement', conditions: i % 2 ? { reportEveryDays: 30, speechRestriction: true, travelBan: false, other: null } : null, facility: null }, personal: null },
      { type: 'RecordReArrest', caseId, facts: facts(addDays('2026-01-08', (i % 40) + 1)), data: { facility: null, arrestingAuthority: null, charges: [] }, personal: null },
      // Backdated: a transfer found out about later.
      { type: 'RecordTransfer', caseId, facts: facts(addDays(detained, 10)), data: { toFacility: 'Rodeo I' }, personal: null },
    ];
    for (const command of steps) {
      try {
        await executor.execute(command, ctx);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
      }
    }
    if (i % 4 === 0) {
      const released = (await store.readStream(`case-${caseId}`)).find((e) => e.type === 'ReArrested');
      if (released) await executor.execute({ type: 'RetractEvent', caseId, data: { eventId: released.eventId, reason: 'wrong date' } }, ctx);
    }
  }
  const head = await store.headPosition();
  await store.close();
  return head;
}


const checkpointOf = async (ds: DataSource) => (await ds.getRepository(ProjectionCheckpointEntity).findOneBy({ name: 'main' }))?.position ?? 0;

describe('a projector killed while catching up', () => {
  let dataDir: string;
  beforeAll(() => {
    // The child process runs the built CLI (jest's global setup builds it), as an operator would.
    dataDir = mkdtempSync(join(tmpdir(), 'pct-restart-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('resumes from its checkpoint and ends with the read models of a clean rebuild', async () => {
    const head = await seedLog(dataDir);
    expect(head).toBeGreaterThan(500);
    const env = { ...process.env, EVENT_STORE: 'sqlite', DATA_DIR: dataDir, NODE_OPTIONS: '' };

    const child = spawn(process.execPath, [CLI, 'catch-up', '--batch-size', '7', '--throttle-ms', '15'], { env, stdio: 'ignore' });
    const readModels = await openSqliteReadModels(join(dataDir, 'read-models.sqlite'));
    try {
      // Kill it once it is well under way but far from done.
      const deadline = Date.now() + 60_000;
      while ((await checkpointOf(readModels)) < head / 4) {
        if (Date.now() > deadline) throw new Error('the projector made no progress');
        await new Promise((r) => setTimeout(r, 20));
      }
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const killedAt = await checkpointOf(readModels);
      expect(killedAt).toBeGreaterThan(0);
      expect(killedAt).toBeLessThan(head);

      execFileSync(process.execPath, [CLI, 'catch-up', '--batch-size', '50'], { env });
      expect(await checkpointOf(readModels)).toBe(head);

      const cleanDir = mkdtempSync(join(tmpdir(), 'pct-clean-'));
      const store = new SqliteEventStore({ filename: join(dataDir, 'events.sqlite') });
      const clean = await openSqliteReadModels(join(cleanDir, 'read-models.sqlite'));
      try {
        await new Projector(store, clean, [new CaseHistoryProjection(store, TZ), new FiguresProjection()], { batchSize: 1000 }).rebuild();
        const resumed = await dumpReadModels(readModels);
        const rebuilt = await dumpReadModels(clean);
        expect(resumed['status_intervals']!.length).toBeGreaterThan(300);
        expect(resumed).toEqual(rebuilt);
      } finally {
        await clean.destroy();
        await store.close();
        rmSync(cleanDir, { recursive: true, force: true });
      }
    } finally {
      child.kill('SIGKILL');
      await readModels.destroy();
    }
  }, 180_000);
});
