import { request, startTestApp, type TestApp } from './support/test-app.js';

/**
 * A release learned of a week late revises every day it touches; asked as known before it was
 * recorded, the statistics give the earlier answer exactly. A retraction counts only from when it
 * was recorded.
 */
describe('statistics as of a day, as known at a time', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ now: '2026-01-10T15:00:00Z' });
  });
  afterAll(async () => t.close());

  it('reproduces the earlier answer for a knownAt before a backdated release, and counts it after', async () => {
    const open = async (name: string) =>
      (
        await request(t)
          .post('/api/cases')
          .send({ person: { fullName: name, nationalities: ['VE'], gender: 'male', minor: false, affiliation: 'civilian' }, detention: { occurredOn: '2025-06-01' } })
          .expect(201)
      ).body.caseId as string;
    const a = await open('A');
    const b = await open('B');
    await t.settle();
    const monday = '2026-01-12T15:00:00Z';
    t.clock.set(monday);
    await t.settle();
    const before = (await request(t).get('/api/stats?asOf=2026-01-08').expect(200)).body;
    expect(before.counts.detained).toBe(2);

    // On 15 January the caseworker learns that A was released on 8 January.
    t.clock.set('2026-01-15T15:00:00Z');
    const release = await request(t).post(`/api/cases/${a}/releases`).send({ occurredOn: '2026-01-08', legalBasis: 'government_announcement' }).expect(201);
    await t.settle();
    const now = (await request(t).get('/api/stats?asOf=2026-01-08').expect(200)).body;
    expect(now.counts).toMatchObject({ detained: 1, released: 1 });
    expect(now.position).toBe(release.body.position);

    const asKnownOnMonday = (await request(t).get(`/api/stats?asOf=2026-01-08&knownAt=${monday}`).expect(200)).body;
    expect(asKnownOnMonday.counts).toEqual(before.counts);
    expect(asKnownOnMonday.breakdowns).toEqual(before.breakdowns);
    // The day before the release is untouched either way.
    expect((await request(t).get('/api/stats?asOf=2026-01-07').expect(200)).body.counts.detained).toBe(2);

    // A retraction on 20 January counts from then on only.
    t.clock.set('2026-01-20T15:00:00Z');
    await request(t).post(`/api/cases/${a}/retractions`).send({ eventId: release.body.eventId, reason: 'confused with another person' }).expect(201);
    await t.settle();
    expect((await request(t).get('/api/stats?asOf=2026-01-08').expect(200)).body.counts.detained).toBe(2);
    expect((await request(t).get('/api/stats?asOf=2026-01-08&knownAt=2026-01-18T00:00:00Z').expect(200)).body.counts.detained).toBe(1);

    const flows = (await request(t).get('/api/stats/flows?from=2026-01-01&to=2026-01-31&knownAt=2026-01-18T00:00:00Z').expect(200)).body;
    expect(flows.flows.releases).toEqual({ total: 1, conditional: 0, byLegalBasis: { government_announcement: 1 } });
    expect(b).toBeDefined();
  });

  it('shows the projection lag in /health', async () => {
    const res = await request(t).get('/health').expect(200);
    const head = await t.store.headPosition();
    expect(res.body.details.projections).toEqual({ status: 'up', checkpoint: head, head, lag: 0, mode: 'in-process' });
  });

  it('rejects malformed times naming the parameter', async () => {
    const res = await request(t).get('/api/stats?asOf=2026-02-30&knownAt=yesterday&verification=maybe').expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['asOf', 'knownAt', 'verification']);
  });
});
