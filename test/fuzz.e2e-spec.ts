import fc from 'fast-check';
import { request, startTestApp, type TestApp } from './support/test-app.js';

/**
 * Hostile input: random and malformed bodies, headers and query strings sent to every route.
 * Never a 5xx, and never a write from a rejected request.
 */
const CASE_ROUTES = [
  'detentions', 'releases', 're-arrests', 'house-arrests', 'disappearances', 'whereabouts', 'transfers', 'charges', 'presentations',
  'conditions-lifted', 'hunger-strikes', 'deaths', 'amnesty-requests', 'retractions', 'confirmations', 'erasure',
];
const GET_ROUTES = [
  '/api/cases', '/api/cases/:id', '/api/cases/:id/events', '/api/cases/:id/history', '/api/stats', '/api/stats/flows', '/api/stats/series',
  '/api/stats/diff', '/api/stats/reconciliation', '/api/figures', '/api/revolving-door', '/api/amnesty-requests', '/api/amnesty-eligibility',
  '/api/presentations/due', '/api/audit/log', '/api/audit/verify', '/api/audit/export', '/api/audit/access', '/api/admin/tokens',
];
const POST_ROUTES = [
  '/api/cases', '/api/figures', '/api/admin/tokens', '/api/cases/:id/amnesty-requests/:rid/decision', '/api/cases/:id/amnesty-requests/:rid/appeals',
  ...CASE_ROUTES.map((r) => `/api/cases/:id/${r}`),
];
const QUERY_KEYS = ['asOf', 'knownAt', 'verification', 'groupBy', 'from', 'to', 'step', 'status', 'page', 'pageSize', 'q', 'atPosition', 'fromPosition', 'toPosition', 'metric', 'since', 'caseId', 'actor', 'state', 'on', 'nationality', 'minor', 'military'];

const scalar = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('', ' ', '2026-02-30', '0000-01-01', '9999-12-31', '2026-01-08', '2026-01-08T25:00:00Z', 'null', '-1', '1e309', 'NaN', '%00', '../..', "' OR 1=1 --", '=cmd|calc', 'true', 'x'.repeat(5000)),
  fc.integer().map(String),
  fc.double().map(String),
);
const jsonValue = fc.oneof(
  fc.anything({ maxDepth: 3, withNullPrototype: false, withBigInt: false, withBoxedValues: false, withTypedArray: false, withSparseArray: false, withMap: false, withSet: false, withDate: false }),
  fc.dictionary(fc.constantFrom('occurredOn', 'legalBasis', 'person', 'detention', 'source', 'conditions', 'eventId', 'reason', 'outcome', 'role', 'name', 'value', 'metric', 'asOf', 'verification', 'phase', 'filedBy', 'toFacility', 'facility', 'charges', '__proto__', 'constructor'), fc.oneof(scalar, fc.constant(null), fc.integer(), fc.boolean(), fc.array(scalar, { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 8 }), scalar, { maxKeys: 3 }))),
);
const rawBody = fc.oneof(
  jsonValue.map((v) => ({ raw: JSON.stringify(v) ?? 'null' })),
  fc.constantFrom('{', '{"a":', '[1,2', 'not json', '\u0000', '{"occurredOn":"2026-01-08"}}', '"just a string"', '{"a":1}'.repeat(3)).map((raw) => ({ raw })),
);
const headerValue = fc.stringMatching(/^[\x21-\x7e]{0,60}$/);
const requestArb = fc.record({
  method: fc.constantFrom('GET', 'POST', 'DELETE', 'PUT', 'PATCH'),
  route: fc.constantFrom(...GET_ROUTES, ...POST_ROUTES, '/api/admin/tokens/:tid', '/api/nowhere', '/api/cases/:id/nowhere'),
  id: fc.oneof(fc.constant('real'), fc.uuid(), fc.stringMatching(/^[A-Za-z0-9%._~-]{1,40}$/)),
  query: fc.dictionary(fc.constantFrom(...QUERY_KEYS), scalar, { maxKeys: 4 }),
  body: rawBody,
  ifMatch: fc.option(headerValue, { nil: undefined }),
  idempotencyKey: fc.option(headerValue, { nil: undefined }),
  correlationId: fc.option(headerValue, { nil: undefined }),
  auth: fc.constantFrom('admin', 'caseworker', 'viewer', 'auditor', 'none', 'garbage'),
});

describe('hostile input (property)', () => {
  let t: TestApp;
  let caseId: string;
  beforeAll(async () => {
    t = await startTestApp({ now: '2026-03-01T12:00:00Z', env: { RATE_LIMIT_PER_MINUTE: '1000000', AUTH_FAILURES_PER_MINUTE: '1000000' } });
    caseId = (
      await request(t)
        .post('/api/cases')
        .send({ person: { fullName: 'Fuzz Target', nationalities: ['VE'], gender: 'male', minor: false, affiliation: 'civilian' }, detention: { occurredOn: '2025-01-01' } })
        .expect(201)
    ).body.caseId;
    await request(t).post(`/api/cases/${caseId}/amnesty-requests`).send({ occurredOn: '2026-02-20', filedBy: 'lawyer' }).expect(201);
  });
  afterAll(async () => t.close());

  it('never answers 5xx, and a rejected request writes nothing', async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(requestArb, async (r) => {
        const id = r.id === 'real' ? caseId : encodeURIComponent(r.id);
        const path = r.route.replace(':id', id).replace(':rid', r.id === 'real' ? caseId : id).replace(':tid', id);
        const who = r.auth === 'none' ? 'anonymous' : r.auth === 'garbage' ? { token: 'pct_garbage' } : r.auth;
        const client = request(t, who);
        let req = (r.method === 'GET' ? client.get(path) : r.method === 'POST' ? client.post(path) : r.method === 'DELETE' ? client.delete(path) : r.method === 'PUT' ? client.put(path) : client.patch(path)).query(r.query);
        if (r.ifMatch !== undefined) req = req.set('If-Match', r.ifMatch);
        if (r.idempotencyKey !== undefined) req = req.set('Idempotency-Key', r.idempotencyKey);
        if (r.correlationId !== undefined) req = req.set('X-Correlation-Id', r.correlationId);
        const before = await t.store.headPosition();
        const res = r.method === 'GET' || r.method === 'DELETE' ? await req : await req.set('Content-Type', 'application/json').send(r.body.raw);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400) {
          expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
          expect(await t.store.headPosition()).toBe(before);
        }
      }),
      { numRuns: 600 },
    );
    // The property exercised rejections of every kind, not just one path.
    for (const s of [400, 401, 403, 404]) expect(statuses.get(s) ?? 0).toBeGreaterThan(0);
  }, 240_000);
});
