import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaseCommandExecutor, generateAccessToken } from '#application';
import { addDays, caseDecider, DomainError } from '#domain';
import { PostgresEventStore } from '#event-store';
import { CaseHistoryProjection, FiguresProjection, openPostgresReadModels, ProjectionCheckpointEntity, Projector } from '#projections';
import { dropSchema } from './support/test-app.js';
import { DIST, startApiProcess, startProcess, waitUntil, type RunningProcess } from './support/processes.js';
import { dumpReadModels } from './support/read-models.js';

/**
 * Several processes on one PostgreSQL store: two projectors never both apply an event (one holds
 * the lease; when it dies the other takes over), and two API processes keep optimistic
 * concurrency across processes.
 */
const DATABASE_URL = process.env['DATABASE_URL'];
const describeOnPostgres = DATABASE_URL ? describe : describe.skip;
if (!DATABASE_URL) console.warn('scale-out tests skipped: DATABASE_URL is not set');

const TZ = { timeZone: 'America/Caracas' };
const newSchema = () => `t_${randomBytes(6).toString('hex')}`;

describeOnPostgres('scale-out on PostgreSQL', () => {
  const url = DATABASE_URL!;
  const processes: RunningProcess[] = [];
  const schemas: string[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(processes.splice(0).map((p) => p.kill()));
    for (const s of schemas.splice(0)) await dropSchema(url, s);
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const settings = () => {
    const schema = newSchema();
    schemas.push(schema);
    const dataDir = mkdtempSync(join(tmpdir(), 'pct-scale-'));
    dirs.push(dataDir);
    return { EVENT_STORE: 'postgres', DATABASE_URL: url, DATABASE_SCHEMA: schema, DATA_DIR: dataDir, LOG_LEVEL: 'warn', MASTER_KEY: randomBytes(32).toString('base64') };
  };

  it('two projectors never both apply an event: one leads, the other takes over when it is killed, and the read models equal a rebuild', async () => {
    const env = settings();
    let t = Date.parse('2026-03-01T12:00:00Z');
    const clock = { now: () => new Date((t += 1000)) };
    const store = await PostgresEventStore.open({ connectionString: url, schema: env.DATABASE_SCHEMA, now: () => clock.now() });
    let n = 0;
    const executor = new CaseCommandExecutor(store, clock, { next: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}` }, caseDecider(TZ));
    const ctx = { actor: 'test', correlationId: 'c', causationId: null, idempotencyKey: null, expectedVersion: null };
    const readModels = await openPostgresReadModels(url, env.DATABASE_SCHEMA);
    const cleanSchema = newSchema();
    schemas.push(cleanSchema);
    const clean = await openPostgresReadModels(url, cleanSchema);
    try {
      const a = startProcess(DIST.projector, env);
      const b = startProcess(DIST.projector, env);
      processes.push(a, b);
      await Promise.all([a.waitFor(/started on postgres/), b.waitFor(/started on postgres/)]);
      const leaderLine = await Promise.race([a.waitFor(/leader: applying/), b.waitFor(/leader: applying/)]);
      const [leader, follower] = a.output.includes(leaderLine) ? [a, b] : [b, a];

      const write = async (from: number, to: number) => {
        for (let i = from; i < to; i++) {
          const caseId = `30000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
          await executor.execute(
            {
              type: 'OpenCase',
              caseId,
              source: null,
              data: { nameWithheld: false, nationalities: ['VE'], gender: 'male', minor: false, affiliation: 'civilian', externalReference: null },
              personal: { fullName: `P${i}`, birthYear: null },
              firstDetention: { facts: { occurredOn: addDays('2024-06-01', i), datePrecision: 'day', source: null, verification: 'confirmed' }, data: { facility: 'Rodeo I', arrestingAuthority: null, charges: [] }, personal: null },
            },
            ctx,
          );
          try {
            await executor.execute(
              { type: 'RecordRelease', caseId, facts: { occurredOn: addDays('2026-01-08', i % 30), datePrecision: 'day', source: null, verification: 'confirmed' }, data: { legalBasis: 'other', conditions: null, facility: null }, personal: null },
              ctx,
            );
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
          }
        }
      };
      await write(0, 40);
      const checkpoint = async () => (await readModels.getRepository(ProjectionCheckpointEntity).findOneBy({ name: 'main' }))?.position ?? 0;
      await waitUntil(async () => (await checkpoint()) > 0, 20_000, 'the leader to apply events');
      expect(follower.output.some((l) => /leader: applying/.test(l))).toBe(false);

      await leader.kill('SIGKILL');
      await write(40, 80);
      await follower.waitFor(/leader: applying/, 20_000);
      const head = await store.headPosition();
      await waitUntil(async () => (await checkpoint()) === head, 30_000, 'the new leader to catch up');

      await new Projector(store, clean, [new CaseHistoryProjection(store, TZ), new FiguresProjection()]).rebuild();
      const projected = await dumpReadModels(readModels);
      expect(projected['case_profiles']).toHaveLength(80);
      expect(projected).toEqual(await dumpReadModels(clean));
    } finally {
      await readModels.destroy();
      await clean.destroy();
      await store.close();
    }
  }, 120_000);

  it('two API processes on one store keep optimistic concurrency across processes', async () => {
    const env = settings();
    // Both processes start with the same first admin, on the same token table: one creates it, the other finds it.
    const admin = generateAccessToken();
    const authorization = `Bearer ${admin}`;
    const started = await Promise.allSettled([0, 1].map(() => startApiProcess({ ...env, BOOTSTRAP_ADMIN_TOKEN: admin })));
    // Whatever started is stopped after the test, even if the other did not.
    for (const s of started) if (s.status === 'fulfilled') processes.push(s.value.process);
    const apis = started.map((s) => {
      if (s.status === 'rejected') throw s.reason;
      return s.value;
    });
    const base = apis.map((api) => `${api.origin}/api`);
    const post = (i: number, path: string, body: object, headers: Record<string, string> = {}) =>
      fetch(`${base[i]}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization, ...headers }, body: JSON.stringify(body) });

    const opened = await post(0, '/cases', { person: { fullName: 'Contended', nationalities: ['VE'], gender: 'female', minor: false, affiliation: 'civilian' }, detention: { occurredOn: '2025-01-07' } });
    expect(opened.status).toBe(201);
    const { caseId } = (await opened.json()) as { caseId: string };

    let version = 2;
    for (let round = 0; round < 8; round++) {
      const answers = await Promise.all(
        [0, 1].map((i) => post(i, `/cases/${caseId}/transfers`, { occurredOn: addDays('2025-02-01', round), toFacility: `F${round}-${i}` }, { 'If-Match': `"${version}"` })),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([201, 412]);
      version += 1;
    }
    // Without If-Match, a lost race is decided again on fresh state: every command lands once.
    const unpinned = await Promise.all(Array.from({ length: 10 }, (_, k) => post(k % 2, `/cases/${caseId}/charges`, { occurredOn: '2025-03-01', charges: [`charge ${k}`] })));
    expect(unpinned.map((a) => a.status)).toEqual(Array(10).fill(201));

    const events = (await (await fetch(`${base[1]}/cases/${caseId}/events`, { headers: { authorization } })).json()) as { events: { version: number }[] };
    expect(events.events.map((e) => e.version)).toEqual(Array.from({ length: 2 + 8 + 10 }, (_, k) => k + 1));
    // Both processes read the same read models, kept by whichever holds the projector lease.
    await waitUntil(async () => {
      const answers = await Promise.all(base.map(async (b) => ((await (await fetch(`${b}/stats?asOf=2026-01-01`, { headers: { authorization } })).json()) as { counts: { detained: number } }).counts.detained));
      return answers.every((d) => d === 1);
    }, 20_000, 'both APIs to report the case');
    const tokens = (await (await fetch(`${base[0]}/admin/tokens`, { headers: { authorization } })).json()) as { items: { name: string; role: string }[] };
    expect(tokens.items.map((t) => [t.name, t.role])).toEqual([['bootstrap-admin', 'admin']]);
    expect((await fetch(`${base[1]}/stats`)).status).toBe(401);
  }, 120_000);
});
