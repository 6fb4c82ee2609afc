import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DIST } from './support/processes.js';
import { request, startTestApp, TEST_ON_POSTGRES, type TestApp } from './support/test-app.js';

const PERSON = { fullName: 'Rocío San Miguel', nationalities: ['ES', 'VE'], gender: 'female', minor: false, affiliation: 'civilian' };

describe('audit: the hash chain, bundles, and reproducible reports', () => {
  let t: TestApp;
  let caseId: string;
  let other: string;
  /** Positions taken before the first case: the issue of the test's access tokens (recorded in the log too). */
  let p0: number;
  const as: Record<string, { token: string }> = {};
  const files = mkdtempSync(join(tmpdir(), 'pct-bundle-'));
  beforeAll(async () => {
    t = await startTestApp({ now: '2026-01-24T12:00:00Z' });
    as['un-mission'] = { token: await t.issueToken('auditor', 'un-mission') };
    as['jose'] = { token: await t.issueToken('caseworker', 'jose') };
    p0 = await t.store.headPosition();
    caseId = (await request(t).post('/api/cases').send({ person: PERSON, detention: { occurredOn: '2024-02-09' } }).expect(201)).body.caseId;
    other = (await request(t).post('/api/cases').send({ person: { ...PERSON, fullName: 'Otra Persona', nationalities: ['VE'] }, detention: { occurredOn: '2025-01-07' } }).expect(201)).body.caseId;
    await request(t).post(`/api/cases/${caseId}/releases`).send({ occurredOn: '2026-01-08', legalBasis: 'government_announcement', conditions: { reportEveryDays: 30 } }).expect(201);
    await t.settle();
  });
  afterAll(async () => {
    await t.close();
    rmSync(files, { recursive: true, force: true });
  });

  it('walks the chain: events checked, head hash, valid', async () => {
    expect(p0).toBe(6);
    const res = (await request(t, 'auditor').get('/api/audit/verify').expect(200)).body;
    const head = await t.store.headHash();
    expect(res).toMatchObject({ valid: true, eventsChecked: p0 + 5, firstBroken: null, head: { position: p0 + 5, hash: head.hash }, headHash: head.hash });
    expect((await request(t, 'auditor').get(`/api/audit/verify?from=${p0 + 3}&to=${p0 + 4}`).expect(200)).body).toMatchObject({ valid: true, eventsChecked: 2, firstPosition: p0 + 3, lastPosition: p0 + 4 });
  });

  it('exports a bundle of one case that verifies offline, in a process with no database configured, and catches an edit', async () => {
    const bundle = (await request(t, as['un-mission']).get(`/api/audit/export?caseId=${caseId}`).expect(200)).body;
    expect(bundle).toMatchObject({ format: 'prisoner-case-tracker/audit-bundle@1', scope: { caseId }, chainHead: { position: p0 + 5 }, store: { kind: TEST_ON_POSTGRES ? 'postgres' : 'sqlite' } });
    expect(bundle.events.map((e: { type: string; position: number }) => [e.type, e.position])).toEqual([
      ['CaseOpened', p0 + 1],
      ['Detained', p0 + 2],
      ['Released', p0 + 5],
    ]);
    const good = join(files, 'case.json');
    writeFileSync(good, JSON.stringify(bundle));
    const tampered = join(files, 'tampered.json');
    const edited = structuredClone(bundle);
    edited.events[2].metadata.occurredOn = '2025-12-24';
    writeFileSync(tampered, JSON.stringify(edited));

    // No DATA_DIR, no DATABASE_URL, no EVENT_STORE: only the file.
    const offline = (file: string) => spawnSync(process.execPath, [DIST.cli, 'verify-bundle', file], { env: { PATH: process.env['PATH'] ?? '' }, encoding: 'utf8' });
    const ok = offline(good);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/bundle intact: 3 events, 1 links checked/);
    const bad = offline(tampered);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/bundle INVALID/);
    expect(JSON.parse(bad.stdout.slice(0, bad.stdout.lastIndexOf('}') + 1)).problems.map((p: { position: number | null }) => p.position)).toContain(p0 + 5);

    // The export disclosed personal data: it is in the access log.
    const access = (await request(t, 'auditor').get(`/api/audit/access?caseId=${caseId}&actor=token:un-mission`).expect(200)).body;
    expect(access.items.map((i: { route: string }) => i.route)).toEqual(['GET /api/audit/export']);
  });

  it('exports a range of the log with every link checked', async () => {
    const bundle = (await request(t, 'auditor').get(`/api/audit/export?from=${p0 + 2}&to=${p0 + 5}`).expect(200)).body;
    const file = join(files, 'range.json');
    writeFileSync(file, JSON.stringify(bundle));
    const ok = spawnSync(process.execPath, [DIST.cli, 'verify-bundle', file], { env: { PATH: process.env['PATH'] ?? '' }, encoding: 'utf8' });
    expect(ok.stdout).toMatch(/bundle intact: 4 events, 3 links checked/);
    const bad = await request(t, 'auditor').get('/api/audit/export').expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['caseId', 'from', 'to']);
  });

  it('answers statistics exactly as at an earlier log position, and lists the events that changed them since', async () => {
    const published = (await request(t).get('/api/stats?asOf=2026-01-20').expect(200)).body;
    expect(published).toMatchObject({ position: p0 + 5, headHash: (await t.store.headHash()).hash });
    expect(published.counts).toMatchObject({ detained: 1, conditional_release: 1 });

    // A week later: the other person's release on 12 January is learned of, and recorded.
    t.clock.set('2026-01-31T12:00:00Z');
    const late = (await request(t, as['jose']).post(`/api/cases/${other}/releases`).send({ occurredOn: '2026-01-12', legalBasis: 'court_order' }).expect(201)).body;
    await t.settle();
    expect((await request(t).get('/api/stats?asOf=2026-01-20').expect(200)).body.counts).toMatchObject({ detained: 0, released: 1 });

    const again = (await request(t).get(`/api/stats?asOf=2026-01-20&atPosition=${published.position}`).expect(200)).body;
    expect(again.counts).toEqual(published.counts);
    expect(again.breakdowns).toEqual(published.breakdowns);
    expect(again.headHash).toBe(published.headHash);

    const diff = (await request(t).get(`/api/stats/diff?fromPosition=${published.position}&toPosition=${late.position}&asOf=2026-01-20`).expect(200)).body;
    expect(diff.from.counts).toEqual(published.counts);
    expect(diff.to.counts).toMatchObject({ detained: 0, released: 1 });
    expect(diff.changes).toEqual([
      { position: late.position, eventId: late.eventId, type: 'Released', caseId: other, recordedAt: '2026-01-31T12:00:00.000Z', actor: 'token:jose', before: 'detained', after: 'released' },
    ]);
    const beyond = await request(t).get('/api/stats?atPosition=999').expect(400);
    expect(beyond.body.errors[0].field).toBe('atPosition');
  });

  (TEST_ON_POSTGRES ? it.skip : it)('reports the position of a row edited directly in the SQLite file, over HTTP and in the CLI', async () => {
    const cliVerify = () =>
      spawnSync(process.execPath, [DIST.cli, 'verify'], { env: { PATH: process.env['PATH'] ?? '', EVENT_STORE: 'sqlite', DATA_DIR: t.dataDir }, encoding: 'utf8' });
    const intact = cliVerify();
    expect(intact.status).toBe(0);
    expect(intact.stdout).toMatch(new RegExp(`chain intact: ${p0 + 6} events checked, head ${p0 + 6} [0-9a-f]{64}`));
    const db = new Database(join(t.dataDir, 'events.sqlite'));
    try {
      db.prepare("UPDATE events SET data = json_set(data, '$.legalBasis', 'amnesty_law') WHERE position = ?").run(p0 + 5);
    } finally {
      db.close();
    }
    const res = (await request(t, 'auditor').get('/api/audit/verify').expect(200)).body;
    expect(res).toMatchObject({ valid: false, firstBroken: { position: p0 + 5, reason: 'hash-mismatch' } });
    expect(res.eventsChecked).toBe(p0 + 5);
    const broken = cliVerify();
    expect(broken.status).toBe(1);
    expect(broken.stdout).toMatch(new RegExp(`chain BROKEN at position ${p0 + 5}: hash-mismatch`));
  });
});
