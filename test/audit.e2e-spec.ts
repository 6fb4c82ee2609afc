import { request, startTestApp, type TestApp } from './support/test-app.js';

const PERSON = { fullName: 'Persona Auditada', nationalities: ['VE'], gender: 'female', minor: false, affiliation: 'civilian' };

describe('audit: who recorded what, and who read whose data', () => {
  let t: TestApp;
  let caseId: string;
  let otherCase: string;
  /** A token per person: the actor of what each does is `token:<name>`. */
  const as: Record<string, { token: string }> = {};
  const isTokenEvent = (i: { type: string }) => i.type.startsWith('AccessToken');
  beforeAll(async () => {
    t = await startTestApp({ now: '2026-02-01T12:00:00Z' });
    for (const [name, role] of [['maria', 'caseworker'], ['jose', 'caseworker'], ['auditor-ana', 'auditor'], ['lawyer-luis', 'caseworker'], ['viewer-vic', 'viewer']] as const) {
      as[name] = { token: await t.issueToken(role, name) };
    }
    caseId = (await request(t, as['maria']).post('/api/cases').set('X-Correlation-Id', 'intake-1').send({ person: PERSON, detention: { occurredOn: '2025-05-01' } }).expect(201)).body.caseId;
    t.clock.set('2026-02-02T12:00:00Z');
    await request(t, as['jose']).post(`/api/cases/${caseId}/releases`).send({ occurredOn: '2026-01-08', legalBasis: 'other' }).expect(201);
    otherCase = (await request(t, as['jose']).post('/api/cases').send({ person: { ...PERSON, fullName: 'Otra' } }).expect(201)).body.caseId;
    await t.settle();
  });
  afterAll(async () => t.close());

  it('lists recorded events with who, when and what, filtered by actor, case and recording time', async () => {
    const all = (await request(t, 'auditor').get('/api/audit/log').expect(200)).body;
    // The bootstrap admin, the three test tokens and the five above: token management is in the log too.
    const tokenEvents = all.items.filter(isTokenEvent);
    expect(tokenEvents.map((i: { type: string; actor: string }) => [i.type, i.actor])).toEqual([
      ['AccessTokenIssued', 'system:bootstrap'],
      ...Array(8).fill(['AccessTokenIssued', 'token:bootstrap-admin']),
    ]);
    expect(all.total).toBe(4 + 9);
    expect(all.items.filter((i: { type: string }) => !isTokenEvent(i)).map((i: { type: string; actor: string; recordedAt: string }) => [i.type, i.actor, i.recordedAt])).toEqual([
      ['CaseOpened', 'token:maria', '2026-02-01T12:00:00.000Z'],
      ['Detained', 'token:maria', '2026-02-01T12:00:00.000Z'],
      ['Released', 'token:jose', '2026-02-02T12:00:00.000Z'],
      ['CaseOpened', 'token:jose', '2026-02-02T12:00:00.000Z'],
    ]);
    expect(all.items.find((i: { type: string }) => i.type === 'CaseOpened')).toMatchObject({ caseId, correlationId: 'intake-1', occurredOn: '2026-02-01' });
    expect((await request(t, 'auditor').get('/api/audit/log?actor=token:jose').expect(200)).body.total).toBe(2);
    expect((await request(t, 'auditor').get(`/api/audit/log?caseId=${caseId}`).expect(200)).body.total).toBe(3);
    expect((await request(t, 'auditor').get('/api/audit/log?from=2026-02-02').expect(200)).body.total).toBe(2);
    expect((await request(t, 'auditor').get('/api/audit/log?to=2026-02-01T23:00:00Z').expect(200)).body.total).toBe(2 + 9);
    const bad = await request(t, 'auditor').get('/api/audit/log?from=yesterday&caseId=42').expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['caseId', 'from']);
  });

  it('logs every read that returns personal data: who read which case, through which route, and when', async () => {
    t.clock.set('2026-02-03T09:00:00Z');
    // X-Actor is ignored: the actor is the token's.
    await request(t, as['auditor-ana']).get(`/api/cases/${caseId}`).set('X-Actor', 'someone-else').expect(200);
    await request(t, as['auditor-ana']).get(`/api/cases/${caseId}/events`).expect(200);
    await request(t, as['lawyer-luis']).get('/api/cases').expect(200);
    // Statistics carry no personal data: not logged.
    await request(t, as['viewer-vic']).get('/api/stats').expect(200);

    const forCase = (await request(t, 'auditor').get(`/api/audit/access?caseId=${caseId}`).expect(200)).body;
    expect(forCase.items.map((i: { actor: string; route: string; readAt: string }) => [i.actor, i.route, i.readAt])).toEqual([
      ['token:auditor-ana', 'GET /api/cases/:id', '2026-02-03T09:00:00.000Z'],
      ['token:auditor-ana', 'GET /api/cases/:id/events', '2026-02-03T09:00:00.000Z'],
      ['token:lawyer-luis', 'GET /api/cases', '2026-02-03T09:00:00.000Z'],
    ]);
    const byLawyer = (await request(t, 'auditor').get('/api/audit/access?actor=token:lawyer-luis').expect(200)).body;
    expect(byLawyer.items.map((i: { caseId: string }) => i.caseId).sort()).toEqual([caseId, otherCase].sort());
    expect((await request(t, 'auditor').get('/api/audit/access?actor=token:viewer-vic').expect(200)).body.total).toBe(0);
    expect((await request(t, 'auditor').get('/api/audit/access?actor=someone-else').expect(200)).body.total).toBe(0);
  });

  it('keeps the access log through a rebuild of the read models', async () => {
    const before = (await request(t, 'auditor').get('/api/audit/access').expect(200)).body.total;
    expect(before).toBeGreaterThan(0);
    await t.projector.rebuild();
    expect((await request(t, 'auditor').get('/api/audit/access').expect(200)).body.total).toBe(before);
    expect((await request(t, 'auditor').get('/api/audit/log').expect(200)).body.total).toBe(4 + 9);
    // The token table is not a read model: every token still works after the rebuild.
    await request(t, as['maria']).get(`/api/cases/${caseId}`).expect(200);
    expect((await request(t, 'admin').get('/api/admin/tokens').expect(200)).body.items).toHaveLength(9);
  });
});
