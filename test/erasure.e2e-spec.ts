import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { verifyBundle } from '#application';
import { Environment } from '#config';
import { DIST } from './support/processes.js';
import { request, startTestApp, TEST_ON_POSTGRES, type TestApp } from './support/test-app.js';

/**
 * Erasure (crypto-shredding): `POST /api/cases/:id/erasure` destroys the person's data key and
 * records PersonalDataErased. Afterwards every personal field of the case reads as erased
 * everywhere, while statuses, dates and counts are what they were and the hash chain verifies.
 */
const NAME = 'Zacarías Quintero-Ybarra';
const LAWYER = 'Ximena Ñáñez-Urdaneta';
const NOTES = 'Sacado de su casa en Barquisimeto';
const SECRETS = ['Zacar', 'Quintero', 'Ybarra', 'Ximena', 'Urdaneta', 'Barquisimeto', '1971'];
const OTHER = 'Rocío San Miguel';
const DAYS = ['2025-08-13', '2025-08-14', '2026-01-08', '2026-01-09', '2026-02-20', '2026-03-01'];

describe('erasure of personal data', () => {
  let t: TestApp;
  let caseId: string;
  let otherId: string;
  let cliEnv: NodeJS.ProcessEnv;
  const backups = mkdtempSync(join(tmpdir(), 'pct-erasure-backups-'));
  const MASTER_KEY = randomBytes(32).toString('base64');

  const stats = async () => {
    const out: Record<string, unknown> = {};
    for (const day of DAYS) {
      for (const verification of ['confirmed', 'all']) {
        const { counts, deprivedOfLiberty, breakdowns } = (await request(t).get(`/api/stats?asOf=${day}&verification=${verification}&groupBy=nationality,facility`).expect(200)).body;
        out[`${day}/${verification}`] = { counts, deprivedOfLiberty, breakdowns };
      }
    }
    out['flows'] = (await request(t).get('/api/stats/flows?from=2025-01-01&to=2026-03-01').expect(200)).body.flows;
    return out;
  };
  /** The case without its personal fields (and without what an erasure changes by design: the version). */
  const standing = async (id: string, asOf?: string) => {
    const { person, version: _version, ...rest } = (await request(t).get(`/api/cases/${id}${asOf ? `?asOf=${asOf}` : ''}`).expect(200)).body;
    const { fullName: _n, birthYear: _b, personalDataErased: _e, ...profile } = person;
    return { profile, ...rest };
  };
  const exportJson = () => {
    const r = spawnSync(process.execPath, [DIST.cli, 'export', '--as-of', '2026-03-01', '--format', 'json'], { env: cliEnv, encoding: 'utf8' });
    expect(r.status).toBe(0);
    return r.stdout;
  };
  const exportCsv = () => {
    const r = spawnSync(process.execPath, [DIST.cli, 'export', '--as-of', '2026-03-01', '--format', 'csv'], { env: cliEnv, encoding: 'utf8' });
    expect(r.status).toBe(0);
    return r.stdout;
  };

  let before: {
    stats: Record<string, unknown>;
    standing: unknown;
    standingThen: unknown;
    verify: { valid: boolean; eventsChecked: number };
    history: { type: string }[];
    amnesty: unknown[];
    positions: number;
  };

  beforeAll(async () => {
    t = await startTestApp({ now: '2026-03-01T16:00:00Z', env: TEST_ON_POSTGRES ? { MASTER_KEY } : {} });
    const env = t.app.get(Environment);
    cliEnv = { ...process.env, NODE_OPTIONS: '', TIME_ZONE: env.TIME_ZONE, DATA_DIR: t.dataDir, EVENT_STORE: env.EVENT_STORE, DATABASE_SCHEMA: env.DATABASE_SCHEMA };
    if (TEST_ON_POSTGRES) Object.assign(cliEnv, { DATABASE_URL: env.DATABASE_URL, MASTER_KEY });
    else delete cliEnv['DATABASE_URL'];

    caseId = (
      await request(t)
        .post('/api/cases')
        .send({
          person: { fullName: NAME, birthYear: 1971, notes: NOTES, nationalities: ['VE', 'CO'], gender: 'male', minor: false, affiliation: 'civilian' },
          detention: { occurredOn: '2025-08-14', facility: 'El Helicoide', notes: `Detenido en ${NOTES}` },
        })
        .expect(201)
    ).body.caseId;
    otherId = (
      await request(t)
        .post('/api/cases')
        .send({ person: { fullName: OTHER, nationalities: ['ES', 'VE'], gender: 'female', minor: false, affiliation: 'civilian' }, detention: { occurredOn: '2024-02-09', facility: 'El Helicoide' } })
        .expect(201)
    ).body.caseId;
    const post = (id: string, path: string, body: object) => request(t).post(`/api/cases/${id}/${path}`).send(body).expect(201);
    await post(caseId, 'releases', { occurredOn: '2026-01-08', legalBasis: 'government_announcement', conditions: { reportEveryDays: 30, speechRestriction: true } });
    await post(caseId, 're-arrests', { occurredOn: '2026-01-09', facility: 'Rodeo I', notes: `Lo volvieron a detener, dijo ${LAWYER}` });
    await post(caseId, 'amnesty-requests', { occurredOn: '2026-02-20', filedBy: 'lawyer', lawyerName: LAWYER });
    await post(otherId, 'releases', { occurredOn: '2026-01-08', legalBasis: 'government_announcement' });
    await t.settle();

    before = {
      stats: await stats(),
      standing: await standing(caseId),
      standingThen: await standing(caseId, '2026-01-08'),
      verify: (await request(t, 'auditor').get('/api/audit/verify').expect(200)).body,
      history: (await request(t).get(`/api/cases/${caseId}/history`).expect(200)).body.events,
      amnesty: (await request(t).get('/api/amnesty-requests').expect(200)).body.items,
      positions: await t.store.headPosition(),
    };
    // Everything is readable before.
    expect((await request(t).get(`/api/cases/${caseId}`).expect(200)).body.person).toMatchObject({ fullName: NAME, birthYear: 1971, personalDataErased: false });
    expect(before.amnesty).toEqual([expect.objectContaining({ caseId, fullName: NAME })]);
    expect(exportJson()).toContain(NAME);
    expect(before.verify.valid).toBe(true);
    // A backup of the key store taken before the erasure (the embedded store's online backup).
    if (!TEST_ON_POSTGRES) {
      const keys = new Database(join(t.dataDir, 'keys.sqlite'), { readonly: true });
      await keys.backup(join(backups, 'keys-before-erasure.sqlite'));
      keys.close();
    }

    t.clock.set('2026-03-01T17:00:00Z');
    const erased = await request(t, 'admin').post(`/api/cases/${caseId}/erasure`).send({ reason: 'request of the family, ticket 2026-031' }).expect(201);
    expect(erased.body).toEqual({ caseId, eventId: expect.any(String), version: 6, position: before.positions + 1 });
    await t.settle();
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    rmSync(backups, { recursive: true, force: true });
  });

  it('leaves counts, statuses, dates and custody days as they were, on every day', async () => {
    expect(await stats()).toEqual(before.stats);
    expect(await standing(caseId)).toEqual(before.standing);
    expect(await standing(caseId, '2026-01-08')).toEqual(before.standingThen);
    expect(before.standing).toMatchObject({ status: 'detained', statusSince: '2026-01-09', custody: { totalDays: expect.any(Number) } });
    expect((await request(t).get(`/api/cases/${caseId}/history`).expect(200)).body.events.slice(0, -1)).toEqual(before.history);
  });

  it('keeps the hash chain valid, with the erasure in it', async () => {
    const verify = (await request(t, 'auditor').get('/api/audit/verify').expect(200)).body;
    expect(verify).toMatchObject({ valid: true, eventsChecked: before.verify.eventsChecked + 1, firstBroken: null });
    const bundle = (await request(t, 'auditor').get(`/api/audit/export?caseId=${caseId}`).expect(200)).body;
    expect(verifyBundle(bundle)).toMatchObject({ valid: true, eventsChecked: 6 });
    expect(bundle.events.at(-1)).toMatchObject({ type: 'PersonalDataErased', data: { reason: 'request of the family, ticket 2026-031' }, personal: null });
  });

  it('reads every personal field of the case as erased: the case, its events, the lists, the search', async () => {
    const c = (await request(t).get(`/api/cases/${caseId}`).expect(200)).body;
    expect(c.person).toMatchObject({ fullName: null, birthYear: null, personalDataErased: true, nationalities: ['VE', 'CO'], gender: 'male' });
    // As known before the erasure, too: the key is gone for every reading.
    expect((await request(t).get(`/api/cases/${caseId}?knownAt=2026-03-01T16:30:00Z`).expect(200)).body.person).toMatchObject({ fullName: null, personalDataErased: true });

    const events = (await request(t).get(`/api/cases/${caseId}/events`).expect(200)).body.events;
    expect(events.map((e: { type: string; personal: unknown }) => [e.type, e.personal])).toEqual([
      ['CaseOpened', { erased: true }],
      ['Detained', { erased: true }],
      ['Released', null],
      ['ReArrested', { erased: true }],
      ['AmnestyRequested', { erased: true }],
      ['PersonalDataErased', null],
    ]);

    const list = (await request(t).get('/api/cases').expect(200)).body.items;
    expect(list.find((i: { caseId: string }) => i.caseId === caseId)).toMatchObject({ fullName: null, nameErased: true, status: 'detained', facility: 'Rodeo I' });
    // Erased names sort last, with the withheld ones; the other person keeps their name.
    expect(list.map((i: { fullName: string | null }) => i.fullName)).toEqual([OTHER, null]);
    expect(list.find((i: { caseId: string }) => i.caseId === otherId)).not.toHaveProperty('nameErased');
    expect((await request(t).get('/api/cases?q=Quintero').expect(200)).body.total).toBe(0);
    expect((await request(t).get('/api/cases?q=roc').expect(200)).body.total).toBe(1);

    const amnesty = (await request(t).get('/api/amnesty-requests').expect(200)).body.items;
    expect(amnesty).toEqual([{ ...(before.amnesty[0] as object), fullName: null, nameErased: true }]);

    for (const path of [`/api/cases/${caseId}`, `/api/cases/${caseId}/events`, `/api/cases/${caseId}/history`, '/api/cases', '/api/amnesty-requests', '/api/amnesty-eligibility']) {
      const text = JSON.stringify((await request(t).get(path).expect(200)).body);
      for (const s of SECRETS) expect([path, s, text.includes(s)]).toEqual([path, s, false]);
    }
  });

  it('reads as erased in the CLI export, with the same statuses', () => {
    const items = JSON.parse(exportJson()) as { caseId: string; fullName: string | null; nameErased?: boolean; status: string }[];
    expect(items.find((i) => i.caseId === caseId)).toMatchObject({ fullName: null, nameErased: true, status: 'detained' });
    expect(items.find((i) => i.caseId === otherId)).toMatchObject({ fullName: OTHER });
    const csv = exportCsv();
    for (const s of SECRETS) expect(csv).not.toContain(s);
    expect(csv).toContain(OTHER);
  }, 60_000);

  it('records PersonalDataErased in the audit log, with who erased and when', async () => {
    const log = (await request(t, 'auditor').get(`/api/audit/log?caseId=${caseId}`).expect(200)).body;
    const entries = log.items as { type: string; actor: string }[];
    expect(entries.filter((e) => e.type === 'PersonalDataErased')).toEqual([expect.objectContaining({ type: 'PersonalDataErased', actor: expect.stringMatching(/admin/) })]);
  });

  it('answers 409 to a second erasure, and 404 for an unknown case', async () => {
    const again = await request(t, 'admin').post(`/api/cases/${caseId}/erasure`).send({ reason: 'again' }).expect(409);
    expect(again.body).toMatchObject({ code: 'PERSONAL_DATA_ERASED' });
    await request(t, 'admin').post('/api/cases/00000000-0000-4000-8000-000000000999/erasure').send({ reason: 'x' }).expect(404);
    await request(t, 'admin').post(`/api/cases/${otherId}/erasure`).send({}).expect(400);
  });

  it('still records events about the person, but no new personal data', async () => {
    const refused = await request(t).post(`/api/cases/${caseId}/transfers`).send({ occurredOn: '2026-02-25', toFacility: 'Tocorón', notes: 'trasladado de noche' }).expect(409);
    expect(refused.body).toMatchObject({ code: 'PERSONAL_DATA_ERASED' });
    await request(t).post(`/api/cases/${caseId}/transfers`).send({ occurredOn: '2026-02-25', toFacility: 'Tocorón' }).expect(201);
    await t.settle();
    expect((await request(t).get(`/api/cases/${caseId}`).expect(200)).body).toMatchObject({ facility: 'Tocorón', person: { fullName: null, personalDataErased: true } });
  });

  const onSqlite = TEST_ON_POSTGRES ? it.skip : it;
  onSqlite('is undone by restoring a key backup older than the erasure, and redone by `cli reapply-erasures`', async () => {
    // A deployment restored from backups: today's log, yesterday's key store.
    const restored = mkdtempSync(join(tmpdir(), 'pct-erasure-restored-'));
    try {
      const events = new Database(join(t.dataDir, 'events.sqlite'), { readonly: true });
      await events.backup(join(restored, 'events.sqlite'));
      events.close();
      copyFileSync(join(backups, 'keys-before-erasure.sqlite'), join(restored, 'keys.sqlite'));
      copyFileSync(join(t.dataDir, 'master.key'), join(restored, 'master.key'));
      const env = { ...cliEnv, DATA_DIR: restored };
      const cli = (...args: string[]) => spawnSync(process.execPath, [DIST.cli, ...args], { env, encoding: 'utf8' });
      const names = () => (JSON.parse(cli('export', '--as-of', '2026-03-01', '--format', 'json').stdout) as { caseId: string; fullName: string | null }[]).find((i) => i.caseId === caseId)!;

      expect(names().fullName).toBe(NAME);
      const reapplied = cli('reapply-erasures');
      expect(reapplied.status).toBe(0);
      expect(reapplied.stdout).toContain(`case ${caseId}: its key was alive again`);
      expect(reapplied.stdout.trim().split('\n').at(-1)).toBe('1 erasure in the log, 1 key destroyed again');
      expect(names()).toMatchObject({ fullName: null, nameErased: true });
      expect(cli('reapply-erasures').stdout.trim()).toBe('1 erasure in the log, 0 keys destroyed again');
    } finally {
      rmSync(restored, { recursive: true, force: true });
    }
  }, 60_000);
});
