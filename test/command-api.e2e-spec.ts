import { request, startTestApp, type TestApp } from './support/test-app.js';

const PERSON = { fullName: 'Persona Uno', nationalities: ['VE'], gender: 'female', minor: false, affiliation: 'civilian' };

describe('the command API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ now: '2026-03-01T16:00:00Z' });
  });
  afterAll(async () => t.close());

  const openDetained = async () => {
    const res = await request(t).post('/api/cases').send({ person: PERSON, detention: { occurredOn: '2025-01-07' } }).expect(201);
    return res.body.caseId as string;
  };
  const eventCount = async (id: string) => (await request(t).get(`/api/cases/${id}/events`).expect(200)).body.events.length as number;
  const head = () => t.store.headPosition();

  it('answers a recorded event with its id, version and global position, and an ETag', async () => {
    const id = await openDetained();
    const res = await request(t).post(`/api/cases/${id}/releases`).send({ occurredOn: '2026-01-08', legalBasis: 'court_order' }).expect(201);
    expect(res.body).toEqual({ caseId: id, eventId: expect.stringMatching(/^[0-9a-f-]{36}$/), version: 3, position: expect.any(Number) });
    expect(res.headers['etag']).toBe('"3"');
  });

  it('lists the stream with every metadata field; recordedAt comes from the server clock, the actor from the access token (never X-Actor)', async () => {
    const maria = { token: await t.issueToken('caseworker', 'maria@foropenal') };
    const open = await request(t, maria)
      .post('/api/cases')
      .set('X-Actor', 'someone-else')
      .set('X-Correlation-Id', 'corr-42')
      .send({ person: PERSON, detention: { occurredOn: '2025-01-07', datePrecision: 'month', verification: 'reported', source: { kind: 'family', name: 'Sister', reference: 'call 12' } } })
      .expect(201);
    const res = await request(t).get(`/api/cases/${open.body.caseId}/events`).expect(200);
    expect(res.body.events).toHaveLength(2);
    const detained = res.body.events[1];
    expect(detained).toMatchObject({
      streamId: `case-${open.body.caseId}`,
      version: 2,
      type: 'Detained',
      schemaVersion: 1,
      recordedAt: '2026-03-01T16:00:00.000Z',
      retracted: false,
      confirmed: false,
      metadata: {
        occurredOn: '2025-01-07',
        datePrecision: 'month',
        verification: 'reported',
        source: { kind: 'family', name: 'Sister', reference: 'call 12' },
        actor: 'token:maria@foropenal',
        correlationId: 'corr-42',
        causationId: null,
        commandId: expect.any(String),
      },
    });
    expect(res.body.events[0].personal).toEqual({ fullName: 'Persona Uno', birthYear: null, notes: null });
    expect(res.body.events[0].data).not.toHaveProperty('fullName');
  });

  it('rejects invalid fields with a problem document naming every one, and writes nothing', async () => {
    const id = await openDetained();
    const before = await head();
    const res = await request(t)
      .post(`/api/cases/${id}/releases`)
      .send({ occurredOn: '2026-02-30', legalBasis: 'pardon', conditions: { reportEveryDays: 0 }, source: { kind: 'blog' }, extra: 1 })
      .expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'conditions.reportEveryDays',
      'extra',
      'legalBasis',
      'occurredOn',
      'source.kind',
      'source.name',
    ]);
    expect(await head()).toBe(before);
  });

  it('answers 404 for an unknown case and 400 for an id that is not a UUID', async () => {
    const res = await request(t).get('/api/cases/00000000-0000-4000-8000-000000000000').expect(404);
    expect(res.body).toMatchObject({ code: 'CASE_NOT_FOUND' });
    await request(t).post('/api/cases/00000000-0000-4000-8000-000000000000/releases').send({ occurredOn: '2026-01-08', legalBasis: 'other' }).expect(404);
    const bad = await request(t).get('/api/cases/not-a-uuid').expect(400);
    expect(bad.body.errors).toEqual([{ field: 'id', messages: ['id must be a UUID'] }]);
  });

  it('answers 409 with a stable code for a transition the domain forbids, and writes nothing', async () => {
    const id = await openDetained();
    const before = await head();
    const res = await request(t).post(`/api/cases/${id}/re-arrests`).send({ occurredOn: '2026-01-08' }).expect(409);
    expect(res.body).toMatchObject({ code: 'ALREADY_IN_CUSTODY', status: 409 });
    const early = await request(t).post(`/api/cases/${id}/releases`).send({ occurredOn: '2024-01-01', legalBasis: 'other' }).expect(409);
    expect(early.body.code).toBe('BEFORE_FIRST_DETENTION');
    const future = await request(t).post(`/api/cases/${id}/releases`).send({ occurredOn: '2026-03-02', legalBasis: 'other' }).expect(400);
    expect(future.body).toMatchObject({ code: 'OCCURRED_IN_FUTURE' });
    expect(await head()).toBe(before);
  });

  it('answers 412 when If-Match names a stale version, and accepts the current one', async () => {
    const id = await openDetained();
    await request(t).post(`/api/cases/${id}/transfers`).set('If-Match', '"2"').send({ occurredOn: '2025-06-01', toFacility: 'Rodeo I' }).expect(201);
    const stale = await request(t).post(`/api/cases/${id}/transfers`).set('If-Match', '"2"').send({ occurredOn: '2025-07-01', toFacility: 'Tocorón' }).expect(412);
    expect(stale.body).toMatchObject({ code: 'STALE_VERSION', details: { expectedVersion: 2, actualVersion: 3 } });
    const badTag = await request(t).post(`/api/cases/${id}/transfers`).set('If-Match', 'three').send({ occurredOn: '2025-07-01', toFacility: 'Tocorón' }).expect(400);
    expect(badTag.body.errors[0].field).toBe('If-Match');
    expect(await eventCount(id)).toBe(3);
  });

  it('answers a retried command with the same Idempotency-Key with the first result, writing nothing', async () => {
    const id = await openDetained();
    const send = () =>
      request(t).post(`/api/cases/${id}/releases`).set('Idempotency-Key', `release-${id}`).send({ occurredOn: '2026-01-08', legalBasis: 'other' });
    const first = await send().expect(201);
    const headAfterFirst = await head();
    const retry = await send().expect(201);
    expect(retry.body).toEqual(first.body);
    expect(await head()).toBe(headAfterFirst);
    // The same key on another case is a client bug, not a retry.
    const other = await openDetained();
    const reused = await request(t)
      .post(`/api/cases/${other}/releases`)
      .set('Idempotency-Key', `release-${id}`)
      .send({ occurredOn: '2026-01-08', legalBasis: 'other' })
      .expect(422);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('opens a case once for a retried POST /cases with an Idempotency-Key', async () => {
    const send = () => request(t).post('/api/cases').set('Idempotency-Key', 'open-once').send({ person: PERSON });
    const first = await send().expect(201);
    const before = await head();
    expect((await send().expect(201)).body).toEqual(first.body);
    expect(await head()).toBe(before);
  });

  it('records amnesty requests with their due date, and decisions on them', async () => {
    const id = await openDetained();
    const filed = await request(t).post(`/api/cases/${id}/amnesty-requests`).send({ occurredOn: '2026-02-20', filedBy: 'lawyer', lawyerName: 'Abogada' }).expect(201);
    const requestId = filed.body.requestId as string;
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    let view = (await request(t).get(`/api/cases/${id}`).expect(200)).body;
    expect(view.openAmnestyRequests).toEqual([expect.objectContaining({ requestId, filedOn: '2026-02-20', dueOn: '2026-03-07', status: 'pending', daysOverdue: 0 })]);
    const denied = await request(t).post(`/api/cases/${id}/amnesty-requests/${requestId}/decision`).send({ occurredOn: '2026-02-25', outcome: 'denied' }).expect(400);
    expect(denied.body.errors.map((e: { field: string }) => e.field)).toEqual(['reason']);
    await request(t).post(`/api/cases/${id}/amnesty-requests/${requestId}/decision`).send({ occurredOn: '2026-02-25', outcome: 'granted' }).expect(201);
    const again = await request(t).post(`/api/cases/${id}/amnesty-requests/${requestId}/decision`).send({ occurredOn: '2026-02-26', outcome: 'granted' }).expect(409);
    expect(again.body.code).toBe('AMNESTY_ALREADY_DECIDED');
    view = (await request(t).get(`/api/cases/${id}`).expect(200)).body;
    expect(view.openAmnestyRequests).toEqual([]);
  });

  it('retracts an event with a reason, and a retraction of the retraction restores it', async () => {
    const id = await openDetained();
    const release = await request(t).post(`/api/cases/${id}/releases`).send({ occurredOn: '2026-01-08', legalBasis: 'other' }).expect(201);
    const retraction = await request(t).post(`/api/cases/${id}/retractions`).send({ eventId: release.body.eventId, reason: 'wrong person' }).expect(201);
    expect((await request(t).get(`/api/cases/${id}`)).body.status).toBe('detained');
    await request(t).post(`/api/cases/${id}/retractions`).send({ eventId: retraction.body.eventId, reason: 'it was the right person' }).expect(201);
    expect((await request(t).get(`/api/cases/${id}`)).body.status).toBe('released');
    const events = (await request(t).get(`/api/cases/${id}/events`)).body.events;
    expect(events.map((e: { type: string; retracted: boolean }) => [e.type, e.retracted])).toEqual([
      ['CaseOpened', false],
      ['Detained', false],
      ['Released', false],
      ['EventRetracted', true],
      ['EventRetracted', false],
    ]);
  });

  it('confirms a reported event by a named source', async () => {
    const id = await openDetained();
    const reported = await request(t).post(`/api/cases/${id}/releases`).send({ occurredOn: '2026-01-12', legalBasis: 'other', verification: 'reported' }).expect(201);
    expect((await request(t).get(`/api/cases/${id}?verification=confirmed`)).body.status).toBe('detained');
    await request(t).post(`/api/cases/${id}/confirmations`).send({ eventId: reported.body.eventId, source: { kind: 'ngo', name: 'Foro Penal' } }).expect(201);
    expect((await request(t).get(`/api/cases/${id}?verification=confirmed`)).body.status).toBe('released');
  });

  it('answers as known at an earlier moment: a backdated release does not rewrite what was known before it was recorded', async () => {
    const id = await openDetained();
    t.clock.set('2026-03-01T16:00:00Z');
    const knownBefore = '2026-03-01T16:30:00Z';
    t.clock.set('2026-03-01T17:00:00Z');
    await request(t).post(`/api/cases/${id}/releases`).send({ occurredOn: '2026-01-14', legalBasis: 'other' }).expect(201);
    t.clock.set('2026-03-01T16:00:00Z');
    expect((await request(t).get(`/api/cases/${id}?asOf=2026-02-01`)).body.status).toBe('released');
    expect((await request(t).get(`/api/cases/${id}?asOf=2026-02-01&knownAt=${knownBefore}`)).body.status).toBe('detained');
  });

  it('records every event type of the catalogue through its route', async () => {
    const id = await openDetained();
    const ok = (path: string, body: object) => request(t).post(`/api/cases/${id}/${path}`).send(body).expect(201);
    await ok('charges', { occurredOn: '2025-01-10', charges: ['terrorism'], excludedOffences: [], sentenced: false });
    await ok('transfers', { occurredOn: '2025-02-01', toFacility: 'Rodeo I' });
    await ok('hunger-strikes', { occurredOn: '2025-03-01', phase: 'started' });
    await ok('hunger-strikes', { occurredOn: '2025-03-10', phase: 'ended' });
    await ok('disappearances', { occurredOn: '2025-04-01' });
    await ok('whereabouts', { occurredOn: '2025-04-20', facility: 'El Rodeo I' });
    const filed = await ok('amnesty-requests', { occurredOn: '2026-02-20', filedBy: 'defence' });
    await ok(`amnesty-requests/${filed.body.requestId}/decision`, { occurredOn: '2026-02-21', outcome: 'denied', reason: 'excluded', excludedOffence: 'corruption' });
    await ok(`amnesty-requests/${filed.body.requestId}/appeals`, { occurredOn: '2026-02-22', appealedBy: 'lawyer' });
    await ok('releases', { occurredOn: '2026-02-23', legalBasis: 'amnesty_law', conditions: { reportEveryDays: 30 } });
    await ok('presentations', { occurredOn: '2026-02-24', outcome: 'attended' });
    await ok('conditions-lifted', { occurredOn: '2026-02-25', legalBasis: 'amnesty_law' });
    await ok('re-arrests', { occurredOn: '2026-02-26' });
    await ok('house-arrests', { occurredOn: '2026-02-27' });
    await ok('deaths', { occurredOn: '2026-02-28' });
    const events = (await request(t).get(`/api/cases/${id}/events`)).body.events.map((e: { type: string }) => e.type);
    expect(events).toEqual([
      'CaseOpened', 'Detained', 'ChargesRecorded', 'Transferred', 'HungerStrikeStarted', 'HungerStrikeEnded', 'WhereaboutsUnknown', 'WhereaboutsConfirmed',
      'AmnestyRequested', 'AmnestyDenied', 'AmnestyAppealed', 'Released', 'PresentationRecorded', 'ConditionsLifted', 'ReArrested', 'HouseArrestImposed', 'DiedInCustody',
    ]);
    expect((await request(t).get(`/api/cases/${id}`)).body.status).toBe('deceased');
  });
});

describe('health', () => {
  it('reports the event store and its head position at /health, outside /api, to anyone', async () => {
    const t = await startTestApp({ now: '2026-03-01T16:00:00Z' });
    try {
      // The issue of the test's four access tokens comes first in the log.
      await request(t).post('/api/cases').send({ person: PERSON }).expect(201);
      const res = await request(t, 'anonymous').get('/health').expect(200);
      expect(res.body.details.eventStore).toEqual({ status: 'up', headPosition: 4 + 1 });
      await t.store.close();
      const down = await request(t, 'anonymous').get('/health').expect(503);
      expect(down.body.details.eventStore).toMatchObject({ status: 'down' });
    } finally {
      await t.close();
    }
  });
});
