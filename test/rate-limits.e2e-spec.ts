import { request, startTestApp, type TestApp } from './support/test-app.js';

/**
 * The limits, set low: 5 requests a minute per token (RATE_LIMIT_PER_MINUTE), 3 failed
 * authentications a minute per client address (AUTH_FAILURES_PER_MINUTE). Each test spends the
 * budget of its own tokens; the failed-authentication one runs last, since it locks the address.
 */
describe('rate limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ now: '2026-03-01T16:00:00Z', env: { RATE_LIMIT_PER_MINUTE: '5', AUTH_FAILURES_PER_MINUTE: '3' } });
  });
  afterAll(async () => t.close());

  const expectTooMany = (res: { status: number; headers: Record<string, string>; body: { code?: string; status?: number } }) => {
    expect(res.status).toBe(429);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 429, code: 'TOO_MANY_REQUESTS' });
    const retryAfter = Number(res.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
  };

  it('allows each token its limit a minute across every route, then answers 429 with Retry-After', async () => {
    const remaining: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await request(t, 'viewer').get(i % 2 ? '/api/stats' : '/api/figures').expect(200);
      remaining.push(res.headers['x-ratelimit-remaining']!);
    }
    expect(remaining).toEqual(['4', '3', '2', '1', '0']);
    expectTooMany(await request(t, 'viewer').get('/api/stats'));
    expectTooMany(await request(t, 'viewer').get('/api/stats/flows?from=2026-01-01&to=2026-01-31'));
    // Another token has a budget of its own.
    await request(t, 'auditor').get('/api/stats').expect(200);
  });

  it('counts a refused request too: a 403 spends the budget like any other', async () => {
    for (let i = 0; i < 5; i++) await request(t, 'caseworker').get('/api/audit/log').expect(403);
    expectTooMany(await request(t, 'caseworker').get('/api/stats'));
  });

  it('answers 429 to an address after too many failed authentications, before looking at its token, for a minute', async () => {
    const forged = { token: `pct_${'F'.repeat(43)}` };
    for (let i = 0; i < 3; i++) await request(t, forged).get('/api/stats').expect(401);
    expectTooMany(await request(t, forged).get('/api/stats'));
    // The address waits, whatever token it presents: a guess must not be told apart by its answer.
    const admin = await request(t, 'admin').get('/api/admin/tokens');
    expectTooMany(admin);
    // A request with no token at all is no guess: it is still told to authenticate.
    await request(t, 'anonymous').get('/api/stats').expect(401);
  });
});
