import supertest from 'supertest';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * The web app's browser session (OWASP): a token becomes an HttpOnly, SameSite=Strict cookie that
 * no script can read; unsafe requests on the cookie need the session's CSRF token; the page itself
 * is served by the API at `/`.
 */
const PERSON = { fullName: 'Ana Prueba Sesión', nationalities: ['VE'], gender: 'female', minor: false, affiliation: 'civilian' };

describe('web app session', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ now: '2026-03-01T16:00:00Z' });
  });
  afterAll(async () => t.close());

  const http = () => supertest(t.http);
  const signIn = async (token: string) => {
    const res = await http().post('/api/session').send({ token }).expect(200);
    const setCookie = String(res.headers['set-cookie']);
    const cookie = /pct_session=[^;]+/.exec(setCookie)![0];
    return { res, setCookie, cookie, csrf: res.body.csrfToken as string };
  };

  it('signs in with a token: an HttpOnly SameSite=Strict cookie, and a CSRF token but never the token in the answer', async () => {
    const { res, setCookie, csrf } = await signIn(t.tokens.caseworker);
    expect(res.body).toEqual({ role: 'caseworker', name: 'test-caseworker', csrfToken: csrf, expiresAt: null });
    expect(JSON.stringify(res.body)).not.toContain(t.tokens.caseworker);
    expect(setCookie).toMatch(/^pct_session=pct_[\w-]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/);
  });

  it('authenticates API calls with the cookie alone, as the token would', async () => {
    const { cookie, csrf } = await signIn(t.tokens.viewer);
    const session = await http().get('/api/session').set('Cookie', cookie).expect(200);
    expect(session.body).toMatchObject({ role: 'viewer', csrfToken: csrf });
    await http().get('/api/stats?asOf=2026-02-01').set('Cookie', cookie).expect(200);
    // The cookie carries the viewer's role, not more.
    const refused = await http().get('/api/cases').set('Cookie', cookie).expect(403);
    expect(refused.body.code).toBe('FORBIDDEN');
  });

  it('refuses an unsafe request on the cookie without the CSRF token, and writes nothing', async () => {
    const { cookie, csrf } = await signIn(t.tokens.caseworker);
    for (const header of [undefined, 'wrong', csrf.slice(0, -1)]) {
      const attempt = http().post('/api/cases').set('Cookie', cookie);
      if (header !== undefined) attempt.set('X-CSRF-Token', header);
      const res = await attempt.send({ person: PERSON }).expect(403);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 403, code: 'CSRF_TOKEN_INVALID' });
    }
    await t.settle();
    const list = await http().get('/api/cases').set('Cookie', cookie).expect(200);
    expect(JSON.stringify(list.body)).not.toContain(PERSON.fullName);

    const opened = await http().post('/api/cases').set('Cookie', cookie).set('X-CSRF-Token', csrf).send({ person: PERSON }).expect(201);
    expect(opened.body.caseId ?? opened.body.id).toBeDefined();
  });

  it('needs no CSRF token with a bearer token (no browser sends one on its own)', async () => {
    await http().post('/api/cases').set('Authorization', `Bearer ${t.tokens.caseworker}`).send({ person: PERSON }).expect(201);
  });

  it('refuses a bad token at sign-in with 401, sets no cookie, and counts it as a failed authentication', async () => {
    const res = await http().post('/api/session').send({ token: `pct_${'Z'.repeat(43)}` }).expect(401);
    expect(res.body).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    expect(res.headers['set-cookie']).toBeUndefined();
    const invalid = await http().post('/api/session').send({}).expect(400);
    expect(invalid.body.errors).toEqual([{ field: 'token', messages: expect.arrayContaining(['token must be a string']) }]);
  });

  it('ends the session on sign-out, and when the token is revoked', async () => {
    const { cookie, csrf } = await signIn(t.tokens.auditor);
    // Signing out is unsafe too: another site must not be able to end the session.
    await http().delete('/api/session').set('Cookie', cookie).expect(403);
    const out = await http().delete('/api/session').set('Cookie', cookie).set('X-CSRF-Token', csrf).expect(204);
    expect(String(out.headers['set-cookie'])).toMatch(/^pct_session=; Path=\/; HttpOnly; SameSite=Strict; Max-Age=0/);

    const token = await t.issueToken('viewer', 'short-lived-viewer');
    const session = await signIn(token);
    await http().get('/api/session').set('Cookie', session.cookie).expect(200);
    const tokens = await http().get('/api/admin/tokens').set('Authorization', `Bearer ${t.tokens.admin}`).expect(200);
    const id = (tokens.body.items as { id: string; name: string }[]).find((x) => x.name === 'short-lived-viewer')!.id;
    await http().delete(`/api/admin/tokens/${id}`).set('Authorization', `Bearer ${t.tokens.admin}`).expect(204);
    await http().get('/api/session').set('Cookie', session.cookie).expect(401);
  });

  it('serves the web app at / and at its client routes, from its own origin, without touching the API 404s', async () => {
    const page = await http().get('/cases/123').set('Accept', 'text/html').expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    const script = /<script[^>]+src="([^"]+)"/.exec(page.text)?.[1];
    expect(script).toMatch(/^\/assets\//);
    await http().get(script!).expect(200).expect('Content-Type', /javascript/);
    expect(page.text).not.toMatch(/https?:\/\//);
    // The API and unknown JSON requests keep their problem+json answers.
    await http().get('/api/nowhere').set('Accept', 'text/html').expect(404);
    await http().get('/nowhere').expect(404).expect('Content-Type', /problem\+json/);
  });
});
