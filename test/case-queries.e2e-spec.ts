import { request, startTestApp, type TestApp } from './support/test-app.js';

/**
 * The caseworker and lawyer lists, read from the projections after cases were recorded over HTTP
 * at three instants of 1 March 2026 (UTC; the same day in Caracas):
 *   T1 12:00  most of the record;
 *   T2 13:00  a retraction (Ana's transfer was another person's) and a confirmation (Rocío's release);
 *   T3 15:00  Pedro's re-arrest on 15 February recorded late, and Beatriz's case opened.
 * Reads happen at 16:00.
 */
const T1 = '2026-03-01T12:00:00.000Z';
const T2 = '2026-03-01T13:00:00.000Z';
const T3 = '2026-03-01T15:00:00.000Z';
const BEFORE_T2 = '2026-03-01T12:30:00.000Z';
const BEFORE_T3 = '2026-03-01T14:00:00.000Z';

const FORO_PENAL = { kind: 'ngo', name: 'Foro Penal' };
const MONTHLY = { reportEveryDays: 30, speechRestriction: true };
const ANA_REQUEST = '11111111-1111-4111-8111-111111111111';
const ROCIO_REQUEST = '22222222-2222-4222-8222-222222222222';
const LUIS_REQUEST = '33333333-3333-4333-8333-333333333333';

interface Person {
  fullName?: string;
  nameWithheld?: boolean;
  nationalities?: string[];
  gender?: string;
  minor?: boolean;
  affiliation?: string;
  externalReference?: string;
}

describe('the caseworker and lawyer lists', () => {
  let t: TestApp;
  const id: Record<string, string> = {};
  const eventIds: Record<string, string> = {};

  const open = async (key: string, person: Person, detention?: { occurredOn: string; facility: string }) => {
    const res = await request(t, actors['caseworker-1'])
      .post('/api/cases')
      .send({
        person: { nationalities: ['VE'], gender: 'male', minor: false, affiliation: 'civilian', ...person },
        ...(detention ? { detention: { ...detention, source: FORO_PENAL } } : {}),
      })
      .expect(201);
    id[key] = res.body.caseId as string;
  };
  const post = async (key: string, path: string, body: object, actor = 'caseworker-1') => {
    const res = await request(t, actors[actor]).post(`/api/cases/${id[key]}/${path}`).send(body);
    if (res.status !== 201) throw new Error(`${key} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.eventId as string;
  };
  const get = (path: string) => request(t).get(`/api/${path}`);
  const ok = async (path: string) => (await get(path).expect(200)).body;

  /** The two people recording: what each records is signed `token:<name>`. */
  const actors: Record<string, { token: string }> = {};

  beforeAll(async () => {
    t = await startTestApp({ now: '2026-03-01T16:00:00Z' });

    t.clock.set(T1);
    for (const name of ['caseworker-1', 'supervisor-2']) actors[name] = { token: await t.issueToken('caseworker', name) };
    await open('rocio', { fullName: 'Rocío San Miguel', nationalities: ['ES', 'VE'], gender: 'female', externalReference: 'FP-2024-0209' }, { occurredOn: '2024-02-09', facility: 'El Helicoide' });
    eventIds['rocioRelease'] = await post('rocio', 'releases', { occurredOn: '2026-01-08', legalBasis: 'government_announcement', conditions: MONTHLY, verification: 'reported' });
    await post('rocio', 'amnesty-requests', { occurredOn: '2026-01-20', filedBy: 'lawyer', requestId: ROCIO_REQUEST });
    await post('rocio', `amnesty-requests/${ROCIO_REQUEST}/decision`, { occurredOn: '2026-01-28', outcome: 'denied', reason: 'tribunal found no grounds' });
    await post('rocio', `amnesty-requests/${ROCIO_REQUEST}/appeals`, { occurredOn: '2026-02-02', appealedBy: 'lawyer' });

    await open('enrique', { fullName: 'Enrique Márquez' }, { occurredOn: '2025-01-07', facility: 'Rodeo I' });
    await post('enrique', 'releases', { occurredOn: '2026-01-08', legalBasis: 'government_announcement' });
    await post('enrique', 'house-arrests', { occurredOn: '2026-02-20' });

    await open('guanipa', { fullName: 'Juan Pablo Guanipa' }, { occurredOn: '2025-04-23', facility: 'El Helicoide' });
    await post('guanipa', 'releases', { occurredOn: '2026-02-08', legalBasis: 'government_announcement', conditions: MONTHLY });
    await post('guanipa', 're-arrests', { occurredOn: '2026-02-08', arrestingAuthority: 'unidentified armed men' });
    await post('guanipa', 'disappearances', { occurredOn: '2026-02-08' });
    await post('guanipa', 'house-arrests', { occurredOn: '2026-02-10', location: 'Maracaibo' });
    await post('guanipa', 'releases', { occurredOn: '2026-02-19', legalBasis: 'amnesty_law' });

    await open('ana', { fullName: 'Ana Pérez', gender: 'female' }, { occurredOn: '2025-06-10', facility: 'Rodeo I' });
    eventIds['anaTransfer'] = await post('ana', 'transfers', { occurredOn: '2025-08-01', toFacility: 'Tocorón' });
    await post('ana', 'amnesty-requests', { occurredOn: '2026-02-10', filedBy: 'lawyer', requestId: ANA_REQUEST });

    await open('carlos', { fullName: 'Carlos Mena', nationalities: ['VE', 'CO'], affiliation: 'military' }, { occurredOn: '2024-11-01', facility: 'El Helicoide' });
    await post('carlos', 'charges', { occurredOn: '2024-11-01', charges: ['embezzlement'], excludedOffences: ['corruption'] });

    await open('luis', { fullName: 'Luis Rondón' }, { occurredOn: '2025-03-01', facility: 'Rodeo I' });
    await post('luis', 'releases', { occurredOn: '2026-01-30', legalBasis: 'court_order', conditions: MONTHLY });
    await post('luis', 'amnesty-requests', { occurredOn: '2026-02-20', filedBy: 'defence', requestId: LUIS_REQUEST });

    await open('marta', { fullName: 'Marta Gil', gender: 'female', minor: true }, { occurredOn: '2025-09-01', facility: 'La Tumba' });
    await post('marta', 'house-arrests', { occurredOn: '2026-01-20', verification: 'reported', source: { kind: 'family', name: 'her mother' } });

    await open('pedro', { fullName: 'Pedro Salas' }, { occurredOn: '2024-05-05', facility: 'El Helicoide' });
    await post('pedro', 'releases', { occurredOn: '2026-01-12', legalBasis: 'court_order' });

    await open('withheld', { nameWithheld: true, gender: 'unknown' });

    t.clock.set(T2);
    eventIds['anaRetraction'] = await post('ana', 'retractions', { eventId: eventIds['anaTransfer'], reason: 'another Ana Pérez' }, 'supervisor-2');
    eventIds['rocioConfirmation'] = await post('rocio', 'confirmations', { eventId: eventIds['rocioRelease'], source: FORO_PENAL }, 'supervisor-2');

    t.clock.set(T3);
    await post('pedro', 're-arrests', { occurredOn: '2026-02-15', facility: 'El Helicoide' });
    await open('beatriz', { fullName: 'Beatriz Ortega', gender: 'female' }, { occurredOn: '2026-02-20', facility: 'El Helicoide' });

    t.clock.set('2026-03-01T16:00:00Z');
    await t.settle();
  });
  afterAll(async () => t.close());

  const row = (key: string, fields: object) => ({ caseId: id[key], ...fields });
  const names = (items: { fullName: string | null }[]) => items.map((i) => i.fullName);

  describe('GET /cases', () => {
    it('lists every case known now with its status today, by name (withheld names last), all events counted by default', async () => {
      const body = await ok('cases');
      expect(body).toMatchObject({ asOf: '2026-03-01', knownAt: '2026-03-01T16:00:00.000Z', verification: 'all', page: 1, pageSize: 50, total: 10 });
      expect(body.items).toEqual([
        row('ana', { fullName: 'Ana Pérez', nameWithheld: false, nationalities: ['VE'], gender: 'female', minor: false, military: false, externalReference: null, status: 'detained', statusSince: '2025-06-10', facility: 'Rodeo I' }),
        row('beatriz', { fullName: 'Beatriz Ortega', nameWithheld: false, nationalities: ['VE'], gender: 'female', minor: false, military: false, externalReference: null, status: 'detained', statusSince: '2026-02-20', facility: 'El Helicoide' }),
        row('carlos', { fullName: 'Carlos Mena', nameWithheld: false, nationalities: ['VE', 'CO'], gender: 'male', minor: false, military: true, externalReference: null, status: 'detained', statusSince: '2024-11-01', facility: 'El Helicoide' }),
        row('enrique', { fullName: 'Enrique Márquez', nameWithheld: false, nationalities: ['VE'], gender: 'male', minor: false, military: false, externalReference: null, status: 'house_arrest', statusSince: '2026-02-20', facility: null }),
        row('guanipa', { fullName: 'Juan Pablo Guanipa', nameWithheld: false, nationalities: ['VE'], gender: 'male', minor: false, military: false, externalReference: null, status: 'released', statusSince: '2026-02-19', facility: null }),
        row('luis', { fullName: 'Luis Rondón', nameWithheld: false, nationalities: ['VE'], gender: 'male', minor: false, military: false, externalReference: null, status: 'conditional_release', statusSince: '2026-01-30', facility: null }),
        row('marta', { fullName: 'Marta Gil', nameWithheld: false, nationalities: ['VE'], gender: 'female', minor: true, military: false, externalReference: null, status: 'house_arrest', statusSince: '2026-01-20', facility: null }),
        row('pedro', { fullName: 'Pedro Salas', nameWithheld: false, nationalities: ['VE'], gender: 'male', minor: false, military: false, externalReference: null, status: 'detained', statusSince: '2026-02-15', facility: 'El Helicoide' }),
        row('rocio', { fullName: 'Rocío San Miguel', nameWithheld: false, nationalities: ['ES', 'VE'], gender: 'female', minor: false, military: false, externalReference: 'FP-2024-0209', status: 'conditional_release', statusSince: '2026-01-08', facility: null }),
        row('withheld', { fullName: null, nameWithheld: true, nationalities: ['VE'], gender: 'unknown', minor: false, military: false, externalReference: null, status: 'not_detained', statusSince: null, facility: null }),
      ]);
    });

    it('answers as of a day in the past: before the January releases, and before a detention (not_detained)', async () => {
      const body = await ok('cases?asOf=2026-01-07');
      expect(body.asOf).toBe('2026-01-07');
      expect(body.items.map((i: { fullName: string | null; status: string; statusSince: string | null; facility: string | null }) => [i.fullName, i.status, i.statusSince, i.facility])).toEqual([
        ['Ana Pérez', 'detained', '2025-06-10', 'Rodeo I'],
        ['Beatriz Ortega', 'not_detained', null, null],
        ['Carlos Mena', 'detained', '2024-11-01', 'El Helicoide'],
        ['Enrique Márquez', 'detained', '2025-01-07', 'Rodeo I'],
        ['Juan Pablo Guanipa', 'detained', '2025-04-23', 'El Helicoide'],
        ['Luis Rondón', 'detained', '2025-03-01', 'Rodeo I'],
        ['Marta Gil', 'detained', '2025-09-01', 'La Tumba'],
        ['Pedro Salas', 'detained', '2024-05-05', 'El Helicoide'],
        ['Rocío San Miguel', 'detained', '2024-02-09', 'El Helicoide'],
        [null, 'not_detained', null, null],
      ]);
    });

    it('answers as the record stood at knownAt: cases opened later are absent, late and retracted events do not count yet', async () => {
      const beforeRetraction = await ok(`cases?knownAt=${BEFORE_T2}&status=detained,released`);
      expect(beforeRetraction).toMatchObject({ knownAt: BEFORE_T2, total: 4 });
      expect(beforeRetraction.items.map((i: { fullName: string; status: string; statusSince: string; facility: string | null }) => [i.fullName, i.status, i.statusSince, i.facility])).toEqual([
        ['Ana Pérez', 'detained', '2025-06-10', 'Tocorón'], // a transfer moves her, it does not restart her detention
        ['Carlos Mena', 'detained', '2024-11-01', 'El Helicoide'],
        ['Juan Pablo Guanipa', 'released', '2026-02-19', null],
        ['Pedro Salas', 'released', '2026-01-12', null],
      ]);
      const beforeLateRecord = await ok(`cases?knownAt=2026-03-01T10:00:00-04:00`);
      expect(beforeLateRecord.knownAt).toBe(BEFORE_T3);
      expect(beforeLateRecord.total).toBe(9);
      expect(names(beforeLateRecord.items)).not.toContain('Beatriz Ortega');
      expect(beforeLateRecord.items.find((i: { caseId: string }) => i.caseId === id['pedro'])).toMatchObject({ status: 'released', statusSince: '2026-01-12' });
      expect(beforeLateRecord.items.find((i: { caseId: string }) => i.caseId === id['ana'])).toMatchObject({ statusSince: '2025-06-10', facility: 'Rodeo I' });
      expect((await ok('cases?knownAt=2026-03-01T11:59:59Z')).total).toBe(0);
    });

    it('counts only confirmed events with verification=confirmed (a reported house arrest does not count; a confirmed release does once confirmed)', async () => {
      const body = await ok('cases?verification=confirmed&status=detained,conditional_release');
      expect(body.verification).toBe('confirmed');
      expect(names(body.items)).toEqual(['Ana Pérez', 'Beatriz Ortega', 'Carlos Mena', 'Luis Rondón', 'Marta Gil', 'Pedro Salas', 'Rocío San Miguel']);
      expect(body.items.find((i: { caseId: string }) => i.caseId === id['marta'])).toMatchObject({ status: 'detained', statusSince: '2025-09-01', facility: 'La Tumba' });
      const beforeConfirmation = await ok(`cases?verification=confirmed&knownAt=${BEFORE_T2}&q=roc`);
      expect(beforeConfirmation.items).toEqual([expect.objectContaining({ fullName: 'Rocío San Miguel', status: 'detained', statusSince: '2024-02-09' })]);
    });

    it('filters by status (a comma list, the deprived_of_liberty alias, not_detained)', async () => {
      expect(names((await ok('cases?status=deprived_of_liberty')).items)).toEqual(['Ana Pérez', 'Beatriz Ortega', 'Carlos Mena', 'Enrique Márquez', 'Marta Gil', 'Pedro Salas']);
      expect(names((await ok('cases?status=house_arrest,not_detained')).items)).toEqual(['Enrique Márquez', 'Marta Gil', null]);
      expect(names((await ok('cases?status=not_detained&asOf=2026-01-07')).items)).toEqual(['Beatriz Ortega', null]);
      expect((await ok('cases?status=deceased')).items).toEqual([]);
    });

    it('filters by nationality (any of a dual national’s), facility, gender, military and minor', async () => {
      expect(names((await ok('cases?nationality=es')).items)).toEqual(['Rocío San Miguel']);
      expect(names((await ok('cases?nationality=VE&military=true')).items)).toEqual(['Carlos Mena']);
      expect(names((await ok('cases?nationality=CO')).items)).toEqual(['Carlos Mena']);
      expect(names((await ok('cases?facility=El%20Helicoide')).items)).toEqual(['Beatriz Ortega', 'Carlos Mena', 'Pedro Salas']);
      expect(names((await ok('cases?facility=El%20Helicoide&asOf=2026-01-07')).items)).toEqual(['Carlos Mena', 'Juan Pablo Guanipa', 'Pedro Salas', 'Rocío San Miguel']);
      expect(names((await ok('cases?gender=female')).items)).toEqual(['Ana Pérez', 'Beatriz Ortega', 'Marta Gil', 'Rocío San Miguel']);
      expect((await ok('cases?military=false')).total).toBe(9);
      expect(names((await ok('cases?minor=true')).items)).toEqual(['Marta Gil']);
      expect((await ok('cases?minor=false&gender=female&status=deprived_of_liberty')).items.map((i: { fullName: string }) => i.fullName)).toEqual(['Ana Pérez', 'Beatriz Ortega']);
    });

    it('searches name and external reference case-insensitively, taking LIKE wildcards literally', async () => {
      expect(names((await ok('cases?q=GUANIPA')).items)).toEqual(['Juan Pablo Guanipa']);
      expect(names((await ok('cases?q=san%20mig')).items)).toEqual(['Rocío San Miguel']);
      expect(names((await ok('cases?q=fp-2024')).items)).toEqual(['Rocío San Miguel']);
      expect(names((await ok('cases?q=an')).items)).toEqual(['Ana Pérez', 'Juan Pablo Guanipa', 'Rocío San Miguel']);
      expect((await ok('cases?q=%25')).total).toBe(0);
      expect((await ok('cases?q=_')).total).toBe(0);
      expect((await ok('cases?q=FP_2024')).total).toBe(0);
    });

    it('pages through the list with a total', async () => {
      const second = await ok('cases?pageSize=3&page=2');
      expect(second).toMatchObject({ page: 2, pageSize: 3, total: 10 });
      expect(names(second.items)).toEqual(['Enrique Márquez', 'Juan Pablo Guanipa', 'Luis Rondón']);
      expect(names((await ok('cases?pageSize=3&page=4')).items)).toEqual([null]);
      expect(await ok('cases?pageSize=3&page=5')).toMatchObject({ total: 10, items: [] });
      expect(await ok('cases?status=deprived_of_liberty&pageSize=2&page=3')).toMatchObject({ total: 6, items: [{ fullName: 'Marta Gil' }, { fullName: 'Pedro Salas' }] });
    });

    it.each([
      ['status=jailed', 'status'],
      ['status=detained,', 'status'],
      ['pageSize=0', 'pageSize'],
      ['pageSize=201', 'pageSize'],
      ['page=0', 'page'],
      ['page=two', 'page'],
      ['asOf=2026-02-30', 'asOf'],
      ['knownAt=yesterday', 'knownAt'],
      ['verification=rumour', 'verification'],
      ['nationality=XX', 'nationality'],
      ['gender=woman', 'gender'],
      ['military=yes', 'military'],
      ['minor=1', 'minor'],
      ['sort=name', 'sort'],
    ])('answers 400 naming the parameter for %s', async (query, field) => {
      const res = await get(`cases?${query}`).expect(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
    });
  });

  describe('GET /cases/:id/history', () => {
    it('lists the events known now with actor, corrections and whether each counted on asOf', async () => {
      const body = await ok(`cases/${id['ana']}/history?asOf=2026-02-01`);
      expect(body).toMatchObject({ caseId: id['ana'], asOf: '2026-02-01', knownAt: '2026-03-01T16:00:00.000Z', version: 5 });
      expect(body.events.map((e: { type: string; version: number; retracted: boolean; countsOn: boolean }) => [e.version, e.type, e.retracted, e.countsOn])).toEqual([
        [1, 'CaseOpened', false, true],
        [2, 'Detained', false, true],
        [3, 'Transferred', true, false],
        [4, 'AmnestyRequested', false, false],
        [5, 'EventRetracted', false, true],
      ]);
      const [, detained, transfer, , retraction] = body.events;
      expect(detained).toEqual({
        eventId: expect.any(String),
        version: 2,
        position: expect.any(Number),
        type: 'Detained',
        occurredOn: '2025-06-10',
        recordedAt: T1,
        actor: 'token:caseworker-1',
        source: { kind: 'ngo', name: 'Foro Penal', reference: null },
        verification: 'confirmed',
        data: { facility: 'Rodeo I', arrestingAuthority: null, charges: [] },
        retracted: false,
        retractedBy: null,
        confirmedBy: null,
        countsOn: true,
      });
      expect(transfer).toMatchObject({
        eventId: eventIds['anaTransfer'],
        occurredOn: '2025-08-01',
        data: { toFacility: 'Tocorón' },
        retracted: true,
        retractedBy: { eventId: eventIds['anaRetraction'], reason: 'another Ana Pérez', recordedAt: T2, actor: 'token:supervisor-2' },
      });
      expect(retraction).toMatchObject({ eventId: eventIds['anaRetraction'], actor: 'token:supervisor-2', recordedAt: T2, data: { retractedEventId: eventIds['anaTransfer'] } });
      expect(body.events[3].countsOn).toBe(false);
      expect((await ok(`cases/${id['ana']}/history`)).events[3]).toMatchObject({ type: 'AmnestyRequested', occurredOn: '2026-02-10', countsOn: true });
    });

    it('shows what was known at knownAt: no retraction yet, so the transfer counted', async () => {
      const body = await ok(`cases/${id['ana']}/history?knownAt=${BEFORE_T2}`);
      expect(body).toMatchObject({ knownAt: BEFORE_T2, asOf: '2026-03-01', version: 4 });
      expect(body.events.map((e: { type: string }) => e.type)).toEqual(['CaseOpened', 'Detained', 'Transferred', 'AmnestyRequested']);
      expect(body.events[2]).toMatchObject({ retracted: false, retractedBy: null, countsOn: true });
    });

    it('names the confirmation of a reported event', async () => {
      const body = await ok(`cases/${id['rocio']}/history`);
      const release = body.events.find((e: { eventId: string }) => e.eventId === eventIds['rocioRelease']);
      expect(release).toMatchObject({
        type: 'Released',
        verification: 'reported',
        confirmedBy: { eventId: eventIds['rocioConfirmation'], source: { kind: 'ngo', name: 'Foro Penal', reference: null }, recordedAt: T2, actor: 'token:supervisor-2' },
      });
      const before = await ok(`cases/${id['rocio']}/history?knownAt=${BEFORE_T2}`);
      expect(before.events.find((e: { eventId: string }) => e.eventId === eventIds['rocioRelease']).confirmedBy).toBeNull();
    });

    it('answers 404 for a case not known at knownAt or never opened, 400 for a bad id or time', async () => {
      const early = await get(`cases/${id['beatriz']}/history?knownAt=${BEFORE_T3}`).expect(404);
      expect(early.body).toMatchObject({ code: 'CASE_NOT_FOUND' });
      await get('cases/00000000-0000-4000-8000-000000000000/history').expect(404);
      expect((await get('cases/not-a-uuid/history').expect(400)).body.errors).toEqual([{ field: 'id', messages: ['id must be a UUID'] }]);
      expect((await get(`cases/${id['ana']}/history?asOf=2026-02-30`).expect(400)).body.errors.map((e: { field: string }) => e.field)).toEqual(['asOf']);
      expect((await get(`cases/${id['ana']}/history?verification=all`).expect(400)).body.errors.map((e: { field: string }) => e.field)).toEqual(['verification']);
    });

    it('leaves GET /cases/:id as it was', async () => {
      expect(await ok(`cases/${id['ana']}`)).toMatchObject({ caseId: id['ana'], status: 'detained', facility: 'Rodeo I' });
    });
  });

  describe('GET /stats/amnesty', () => {
    const pipeline = async (query: string) => {
      const body = (await request(t, 'viewer').get(`/api/stats/amnesty?verification=all&${query}`).expect(200)).body;
      const { filed, pending, overdue, granted, denied, appealed } = body;
      return { filed, pending, overdue, granted, denied, appealed };
    };

    it('counts the pipeline the list shows, for a viewer, with no name or case id', async () => {
      const body = (await request(t, 'viewer').get('/api/stats/amnesty?verification=all').expect(200)).body;
      expect(body).toMatchObject({ asOf: '2026-03-01', verification: 'all', limitDays: 15, filed: 3, pending: 3, overdue: 2, granted: 0, denied: 0, appealed: 1 });
      expect(body.position).toBeGreaterThan(0);
      expect(body.headHash).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(body)).not.toMatch(/Rocío|Ana Pérez|Luis/);
      expect(JSON.stringify(body)).not.toContain(id['rocio']);
    });

    it('moves with asOf: filed, then denied, then appealed and overdue on the day after its due day', async () => {
      expect(await pipeline('asOf=2026-01-19')).toEqual({ filed: 0, pending: 0, overdue: 0, granted: 0, denied: 0, appealed: 0 });
      expect(await pipeline('asOf=2026-01-25')).toEqual({ filed: 1, pending: 1, overdue: 0, granted: 0, denied: 0, appealed: 0 });
      expect(await pipeline('asOf=2026-01-30')).toEqual({ filed: 1, pending: 0, overdue: 0, granted: 0, denied: 1, appealed: 0 });
      expect(await pipeline('asOf=2026-02-17')).toEqual({ filed: 2, pending: 2, overdue: 0, granted: 0, denied: 0, appealed: 1 });
      expect(await pipeline('asOf=2026-02-18')).toEqual({ filed: 2, pending: 2, overdue: 1, granted: 0, denied: 0, appealed: 1 });
    });

    it('refuses a malformed day with a field error', async () => {
      const res = await request(t, 'viewer').get('/api/stats/amnesty?asOf=2026-02-30').expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['asOf']);
    });
  });

  describe('GET /amnesty-requests', () => {
    it('lists every request as it stood today by due day, with days overdue (an appeal restarts the 15 days)', async () => {
      const body = await ok('amnesty-requests');
      expect(body).toEqual({
        asOf: '2026-03-01',
        knownAt: '2026-03-01T16:00:00.000Z',
        verification: 'all',
        state: null,
        items: [
          row('rocio', { fullName: 'Rocío San Miguel', requestId: ROCIO_REQUEST, status: 'appealed', filedOn: '2026-01-20', dueOn: '2026-02-17', daysOverdue: 12, overdue: true }),
          row('ana', { fullName: 'Ana Pérez', requestId: ANA_REQUEST, status: 'pending', filedOn: '2026-02-10', dueOn: '2026-02-25', daysOverdue: 4, overdue: true }),
          row('luis', { fullName: 'Luis Rondón', requestId: LUIS_REQUEST, status: 'pending', filedOn: '2026-02-20', dueOn: '2026-03-07', daysOverdue: 0, overdue: false }),
        ],
      });
    });

    it('filters by state: pending includes appealed; overdue is past the due day, not on it', async () => {
      const ids = (body: { items: { requestId: string }[] }) => body.items.map((i) => i.requestId);
      expect(ids(await ok('amnesty-requests?state=pending'))).toEqual([ROCIO_REQUEST, ANA_REQUEST, LUIS_REQUEST]);
      expect(ids(await ok('amnesty-requests?state=overdue'))).toEqual([ROCIO_REQUEST, ANA_REQUEST]);
      expect(ids(await ok('amnesty-requests?state=granted'))).toEqual([]);
      expect((await ok('amnesty-requests?state=overdue&asOf=2026-02-25')).items).toEqual([
        row('rocio', { fullName: 'Rocío San Miguel', requestId: ROCIO_REQUEST, status: 'appealed', filedOn: '2026-01-20', dueOn: '2026-02-17', daysOverdue: 8, overdue: true }),
      ]);
      expect((await ok('amnesty-requests?asOf=2026-02-25')).items.find((i: { requestId: string }) => i.requestId === ANA_REQUEST)).toMatchObject({ daysOverdue: 0, overdue: false });
      expect((await ok('amnesty-requests?state=overdue&asOf=2026-02-26')).items.map((i: { requestId: string; daysOverdue: number }) => [i.requestId, i.daysOverdue])).toEqual([
        [ROCIO_REQUEST, 9],
        [ANA_REQUEST, 1],
      ]);
    });

    it('answers as of a past day: the request before its denial, then denied, with its first due day', async () => {
      expect((await ok('amnesty-requests?asOf=2026-01-25')).items).toEqual([
        row('rocio', { fullName: 'Rocío San Miguel', requestId: ROCIO_REQUEST, status: 'pending', filedOn: '2026-01-20', dueOn: '2026-02-04', daysOverdue: 0, overdue: false }),
      ]);
      expect((await ok('amnesty-requests?asOf=2026-01-30&state=denied')).items).toEqual([
        row('rocio', { fullName: 'Rocío San Miguel', requestId: ROCIO_REQUEST, status: 'denied', filedOn: '2026-01-20', dueOn: '2026-02-04', daysOverdue: 0, overdue: false }),
      ]);
      expect((await ok('amnesty-requests?asOf=2026-01-19')).items).toEqual([]);
      expect((await ok('amnesty-requests?knownAt=2026-03-01T11:00:00Z')).items).toEqual([]);
    });

    it('answers 400 naming the parameter', async () => {
      expect((await get('amnesty-requests?state=late').expect(400)).body.errors.map((e: { field: string }) => e.field)).toEqual(['state']);
      expect((await get('amnesty-requests?asOf=2026-02-30').expect(400)).body.errors.map((e: { field: string }) => e.field)).toEqual(['asOf']);
    });
  });

  describe('GET /amnesty-eligibility', () => {
    it('lists people deprived of liberty with no request filed: eligible first, longest held first', async () => {
      const body = await ok('amnesty-eligibility');
      expect(body).toMatchObject({ asOf: '2026-03-01', verification: 'all' });
      expect(body.items).toEqual([
        row('marta', { fullName: 'Marta Gil', status: 'house_arrest', statusSince: '2026-01-20', facility: null, excludedOffences: [], eligible: true }),
        row('pedro', { fullName: 'Pedro Salas', status: 'detained', statusSince: '2026-02-15', facility: 'El Helicoide', excludedOffences: [], eligible: true }),
        row('beatriz', { fullName: 'Beatriz Ortega', status: 'detained', statusSince: '2026-02-20', facility: 'El Helicoide', excludedOffences: [], eligible: true }),
        row('enrique', { fullName: 'Enrique Márquez', status: 'house_arrest', statusSince: '2026-02-20', facility: null, excludedOffences: [], eligible: true }),
        row('carlos', { fullName: 'Carlos Mena', status: 'detained', statusSince: '2024-11-01', facility: 'El Helicoide', excludedOffences: ['corruption'], eligible: false }),
      ]);
    });

    it('answers as of a day before a request was filed, and as known before a late record', async () => {
      expect(names((await ok('amnesty-eligibility?asOf=2026-02-09')).items)).toEqual(['Ana Pérez', 'Marta Gil', 'Juan Pablo Guanipa', 'Carlos Mena']);
      expect((await ok('amnesty-eligibility?asOf=2026-02-09')).items[2]).toMatchObject({ status: 'disappeared', statusSince: '2026-02-08' });
      expect(names((await ok(`amnesty-eligibility?knownAt=${BEFORE_T3}`)).items)).toEqual(['Marta Gil', 'Enrique Márquez', 'Carlos Mena']);
      expect(names((await ok('amnesty-eligibility?verification=confirmed')).items)).toEqual(['Marta Gil', 'Pedro Salas', 'Beatriz Ortega', 'Enrique Márquez', 'Carlos Mena']);
      expect((await ok('amnesty-eligibility?verification=confirmed')).items[0]).toMatchObject({ status: 'detained', statusSince: '2025-09-01', facility: 'La Tumba' });
    });

    it('answers 400 naming the parameter', async () => {
      expect((await get('amnesty-eligibility?asOf=01-03-2026').expect(400)).body.errors.map((e: { field: string }) => e.field)).toEqual(['asOf']);
    });
  });

  describe('GET /presentations/due', () => {
    it('lists who is due today (release or last attendance + 30 days) and who missed a due day', async () => {
      expect(await ok('presentations/due')).toEqual({
        on: '2026-03-01',
        knownAt: '2026-03-01T16:00:00.000Z',
        verification: 'all',
        due: [row('luis', { fullName: 'Luis Rondón', reportEveryDays: 30, lastReportedOn: '2026-01-30', dueOn: '2026-03-01' })],
        missed: [row('rocio', { fullName: 'Rocío San Miguel', reportEveryDays: 30, lastReportedOn: '2026-01-08', dueOn: '2026-02-07' })],
      });
    });

    it('answers for another day, and as known and verified then', async () => {
      expect(await ok('presentations/due?on=2026-02-07')).toMatchObject({
        on: '2026-02-07',
        due: [row('rocio', { fullName: 'Rocío San Miguel', reportEveryDays: 30, lastReportedOn: '2026-01-08', dueOn: '2026-02-07' })],
        missed: [],
      });
      // Guanipa was in conditional release on 8 February only until his re-arrest the same day: the day counts at its end.
      expect(await ok('presentations/due?on=2026-02-08')).toMatchObject({ due: [], missed: [{ caseId: id['rocio'], dueOn: '2026-02-07' }] });
      expect((await ok('presentations/due?on=2026-03-10')).missed.map((m: { fullName: string }) => m.fullName)).toEqual(['Rocío San Miguel', 'Luis Rondón']);
      expect(await ok(`presentations/due?verification=confirmed&knownAt=${BEFORE_T2}`)).toMatchObject({ due: [{ caseId: id['luis'] }], missed: [] });
    });

    it('answers 400 naming the parameter', async () => {
      expect((await get('presentations/due?on=2026-13-01').expect(400)).body.errors.map((e: { field: string }) => e.field)).toEqual(['on']);
      expect((await get('presentations/due?asOf=2026-03-01').expect(400)).body.errors.map((e: { field: string }) => e.field)).toEqual(['asOf']);
    });
  });

  describe('GET /revolving-door', () => {
    it('lists people taken back from liberty in the period, with the days since their release and the median', async () => {
      expect(await ok('revolving-door?from=2026-01-01&to=2026-03-01')).toEqual({
        from: '2026-01-01',
        to: '2026-03-01',
        knownAt: '2026-03-01T16:00:00.000Z',
        verification: 'all',
        count: 3,
        medianDaysBetween: 34,
        items: [
          row('guanipa', { fullName: 'Juan Pablo Guanipa', kind: 're_arrest', releasedOn: '2026-02-08', reArrestedOn: '2026-02-08', daysBetween: 0 }),
          row('pedro', { fullName: 'Pedro Salas', kind: 're_arrest', releasedOn: '2026-01-12', reArrestedOn: '2026-02-15', daysBetween: 34 }),
          row('enrique', { fullName: 'Enrique Márquez', kind: 'house_arrest', releasedOn: '2026-01-08', reArrestedOn: '2026-02-20', daysBetween: 43 }),
        ],
      });
    });

    it('bounds the period on both days, and answers as known before a late record', async () => {
      expect(await ok('revolving-door?from=2026-02-09&to=2026-02-15')).toMatchObject({ count: 1, medianDaysBetween: 34, items: [{ caseId: id['pedro'] }] });
      expect(await ok('revolving-door?from=2026-02-08&to=2026-02-08')).toMatchObject({ count: 1, items: [{ caseId: id['guanipa'] }] });
      expect(await ok('revolving-door?from=2026-02-21&to=2026-03-01')).toEqual(expect.objectContaining({ count: 0, medianDaysBetween: null, items: [] }));
      const before = await ok(`revolving-door?from=2026-01-01&to=2026-03-01&knownAt=${BEFORE_T3}`);
      expect(before).toMatchObject({ count: 2, medianDaysBetween: 21.5 });
      expect(names(before.items)).toEqual(['Juan Pablo Guanipa', 'Enrique Márquez']);
    });

    it('answers 400 naming missing or inverted days', async () => {
      expect((await get('revolving-door').expect(400)).body.errors.map((e: { field: string }) => e.field)).toEqual(['from', 'to']);
      expect((await get('revolving-door?from=2026-02-10&to=2026-02-01').expect(400)).body.errors.map((e: { field: string }) => e.field)).toEqual(['to']);
      expect((await get('revolving-door?from=2026-02-30&to=2026-03-01').expect(400)).body.errors.map((e: { field: string }) => e.field)).toEqual(['from']);
    });
  });
});
