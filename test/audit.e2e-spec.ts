import request from 'supertest';
import { startTestApp, type TestApp } from './support/test-app.js';

const PERSON = { fullName: 'Persona Auditada', nationalities: ['VE'], gender: 'female', minor: false, affiliation: 'civilian' };

describe('audit: who recorded what, and who read whose data', () => {
  let t: TestApp;
  let caseId: string;
  let otherCase: string;
  beforeAll(async () => {
    t = await startTestApp({ now: '2026-02-01T12:00:00Z' });
    caseId = (await request(t.http).post('/api/cases').set('X-Actor', 'maria').set('X-Correlation-Id', 'intake-1').send({ person: PERSON, detention: { occurredOn: '2025-05-01' } }).expect(201)).body.caseId;
    t.clock.set('2026-02-02T12:00:00Z');
    await request(t.http).post(`/api/cases/${caseId}/releases`).set('X-Actor', 'jose').send({ occurredOn: '2026-01-08', legalBasis: 'other' }).expect(201);
    otherCase = (await request(t.http).post('/api/cases').set('X-Actor', 'jose').send({ person: { ...PERSON, fullName: 'Otra' } }).expect(201)).body.caseId;
    await t.settle();
  });
  afterAll(async () => t.close());

  it('lists recorded events with who, when and what, filtered by actor, case and recording time', async () => {
    const all = (await request(t.http).get('/api/audit/log').expect(200)).body;
    expect(all.total).toBe(4);
    expect(all.items.map((i: { type: string; actor: string; recordedAt: string }) => [i.type, i.actor, i.recordedAt])).toEqual([
      ['CaseOpened', 'maria', '2026-02-01T12:00:00.000Z'],
      ['Detained', 'maria', '2026-02-01T12:00:00.000Z'],
      ['Released', 'jose', '2026-02-02T12:00:00.000Z'],
      ['CaseOpened', 'jose', '2026-02-02T12:00:00.000Z'],
    ]);
    expect(all.items[0]).toMatchObject({ caseId, correlationId: 'intake-1', occurredOn: '2026-02-01' });
    expect((await request(t.http).get('/api/audit/log?actor=jose').expect(200)).body.total).toBe(2);
    expect((await request(t.http).get(`/api/audit/log?caseId=${caseId}`).expect(200)).body.total).toBe(3);
    expect((await request(t.http).get('/api/audit/log?from=2026-02-02').expect(200)).body.total).toBe(2);
    expect((await request(t.http).get('/api/audit/log?to=2026-02-01T23:00:00Z').expect(200)).body.total).toBe(2);
    const bad = await request(t.http).get('/api/audit/log?from=yesterday&caseId=42').expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['caseId', 'from']);
  });

  it('logs every read that returns personal data: who read which case, through which route, and when', async () => {
    t.clock.set('2026-02-03T09:00:00Z');
    await request(t.http).get(`/api/cases/${caseId}`).set('X-Actor', 'auditor-ana').expect(200);
    await request(t.http).get(`/api/cases/${caseId}/events`).set('X-Actor', 'auditor-ana').expect(200);
    await request(t.http).get('/api/cases').set('X-Actor', 'lawyer-luis').expect(200);
    // Statistics carry no personal data: not logged.
    await request(t.http).get('/api/stats').set('X-Actor', 'viewer-vic').expect(200);

    const forCase = (await request(t.http).get(`/api/audit/access?caseId=${caseId}`).expect(200)).body;
    expect(forCase.items.map((i: { actor: string; route: string; readAt: string }) => [i.actor, i.route, i.readAt])).toEqual([
      ['auditor-ana', 'GET /api/cases/:id', '2026-02-03T09:00:00.000Z'],
      ['auditor-ana', 'GET /api/cases/:id/events', '2026-02-03T09:00:00.000Z'],
      ['lawyer-luis', 'GET /api/cases', '2026-02-03T09:00:00.000Z'],
    ]);
    const byLawyer = (await request(t.http).get('/api/audit/access?actor=lawyer-luis').expect(200)).body;
    expect(byLawyer.items.map((i: { caseId: string }) => i.caseId).sort()).toEqual([caseId, otherCase].sort());
    expect((await request(t.http).get('/api/audit/access?actor=viewer-vic').expect(200)).body.total).toBe(0);
  });

  it('keeps the access log through a rebuild of the read models', async () => {
    const before = (await request(t.http).get('/api/audit/access').expect(200)).body.total;
    expect(before).toBeGreaterThan(0);
    await t.projector.rebuild();
    expect((await request(t.http).get('/api/audit/access').expect(200)).body.total).toBe(before);
    expect((await request(t.http).get('/api/audit/log').expect(200)).body.total).toBe(4);
  });
});
