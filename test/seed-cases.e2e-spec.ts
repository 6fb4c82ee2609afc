import { request, startTestApp, type TestApp } from './support/test-app.js';

/**
 * The notable cases of the public account (shared/seed), recorded over HTTP as a caseworker would,
 * then read back: statuses, custody periods and their lengths in days.
 */
const FORO_PENAL = { kind: 'ngo', name: 'Foro Penal' };
const MONTHLY_REPORTING = { reportEveryDays: 30, speechRestriction: true };

describe('the seed cases, over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ now: '2026-03-01T16:00:00Z' });
  });
  afterAll(async () => t.close());

  const open = async (fullName: string, nationalities: string[], gender: string, detainedOn: string, facility = 'El Helicoide') => {
    const res = await request(t)
      .post('/api/cases')
      .send({
        person: { fullName, nationalities, gender, minor: false, affiliation: 'civilian' },
        detention: { occurredOn: detainedOn, facility, source: FORO_PENAL },
        source: FORO_PENAL,
      })
      .expect(201);
    expect(res.body).toEqual({ caseId: expect.any(String), version: 2 });
    return res.body.caseId as string;
  };
  const post = (caseId: string, path: string, body: object) =>
    request(t).post(`/api/cases/${caseId}/${path}`).send(body);
  const get = (caseId: string, query = '') => request(t).get(`/api/cases/${caseId}${query}`).expect(200);

  it('Rocío San Miguel: detained 9 Feb 2024, released under conditions on 8 Jan 2026 after 699 days', async () => {
    const id = await open('Rocío San Miguel', ['ES', 'VE'], 'female', '2024-02-09');
    await post(id, 'releases', { occurredOn: '2026-01-08', legalBasis: 'government_announcement', conditions: MONTHLY_REPORTING, source: FORO_PENAL }).expect(201);
    const res = await get(id);
    expect(res.headers['etag']).toBe('"3"');
    expect(res.body).toMatchObject({
      person: { fullName: 'Rocío San Miguel', nationalities: ['ES', 'VE'] },
      status: 'conditional_release',
      statusSince: '2026-01-08',
      deprivedOfLiberty: false,
      conditions: { reportEveryDays: 30, speechRestriction: true, travelBan: false, other: null },
      custody: { periods: [{ startedOn: '2024-02-09', endedOn: '2026-01-08', endedBy: 'conditional_release', days: 699 }], totalDays: 699 },
    });
    expect((await get(id, '?asOf=2026-01-07')).body).toMatchObject({ status: 'detained', custody: { totalDays: 698 } });
  });

  it('Enrique Márquez: detained 7 Jan 2025, released 8 Jan 2026 after 366 days', async () => {
    const id = await open('Enrique Márquez', ['VE'], 'male', '2025-01-07');
    await post(id, 'releases', { occurredOn: '2026-01-08', legalBasis: 'government_announcement', source: FORO_PENAL }).expect(201);
    expect((await get(id)).body).toMatchObject({
      status: 'released',
      custody: { periods: [{ startedOn: '2025-01-07', endedOn: '2026-01-08', days: 366 }], totalDays: 366 },
    });
  });

  it('Kennedy Tejeda: detained 2 Aug 2024, released 25 Jan 2026 after 541 days', async () => {
    const id = await open('Kennedy Tejeda', ['VE'], 'male', '2024-08-02');
    await post(id, 'releases', { occurredOn: '2026-01-25', legalBasis: 'government_announcement', conditions: MONTHLY_REPORTING }).expect(201);
    expect((await get(id)).body).toMatchObject({ status: 'conditional_release', custody: { totalDays: 541 } });
  });

  it("Juan Pablo Guanipa: released on 8 Feb 2026, taken again hours later, house arrest on 10 Feb, released on 19 Feb", async () => {
    const id = await open('Juan Pablo Guanipa', ['VE'], 'male', '2025-04-23');
    await post(id, 'releases', { occurredOn: '2026-02-08', legalBasis: 'government_announcement', conditions: MONTHLY_REPORTING }).expect(201);
    await post(id, 're-arrests', { occurredOn: '2026-02-08', arrestingAuthority: 'unidentified armed men', source: { kind: 'family', name: 'his son' } }).expect(201);
    await post(id, 'disappearances', { occurredOn: '2026-02-08', takenBy: 'unidentified armed men' }).expect(201);
    await post(id, 'house-arrests', { occurredOn: '2026-02-10', location: 'Maracaibo', source: { kind: 'family', name: 'his son' } }).expect(201);
    await post(id, 'releases', { occurredOn: '2026-02-19', legalBasis: 'amnesty_law' }).expect(201);

    const statusOn = async (day: string) => (await get(id, `?asOf=${day}`)).body.status;
    expect(await statusOn('2026-02-07')).toBe('detained');
    expect(await statusOn('2026-02-08')).toBe('disappeared');
    expect(await statusOn('2026-02-09')).toBe('disappeared');
    expect(await statusOn('2026-02-10')).toBe('house_arrest');
    expect(await statusOn('2026-02-19')).toBe('released');

    const now = (await get(id)).body;
    expect(now.custody.periods).toEqual([
      expect.objectContaining({ startedOn: '2025-04-23', endedOn: '2026-02-08', endedBy: 'conditional_release', days: 291 }),
      expect.objectContaining({
        startedOn: '2026-02-08',
        endedOn: '2026-02-19',
        endedBy: 'released',
        releaseLegalBasis: 'amnesty_law',
        days: 11,
        placements: [
          { status: 'detained', from: '2026-02-08', facility: null },
          { status: 'disappeared', from: '2026-02-08', facility: null },
          { status: 'house_arrest', from: '2026-02-10', facility: null },
        ],
      }),
    ]);
    expect(now.custody.totalDays).toBe(302);
  });

  it('Freddy Superlano: detained 28 Jul 2024, house arrest on 8 Feb 2026, released on 27 Feb 2026', async () => {
    const id = await open('Freddy Superlano', ['VE'], 'male', '2024-07-28');
    await post(id, 'house-arrests', { occurredOn: '2026-02-08' }).expect(201);
    await post(id, 'releases', { occurredOn: '2026-02-27', legalBasis: 'amnesty_law' }).expect(201);
    expect((await get(id, '?asOf=2026-02-20')).body).toMatchObject({ status: 'house_arrest', deprivedOfLiberty: true, custody: { totalDays: 572 } });
    expect((await get(id)).body).toMatchObject({
      status: 'released',
      custody: { periods: [{ startedOn: '2024-07-28', endedOn: '2026-02-27', days: 579 }], totalDays: 579 },
    });
  });
});
