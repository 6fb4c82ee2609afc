import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { hashAccessToken, ROLES, type Role } from '#application';
import { AdminBootstrap } from '../apps/api/src/auth/admin-bootstrap.js';
import { READ_MODELS } from '../apps/api/src/projections/projections.tokens.js';
import { request, startTestApp, type TestApp } from './support/test-app.js';

/**
 * Identity and roles. The role matrix is read from the README ("Security" → "Roles"): the table
 * must list exactly the routes the application registers, and every route answers every caller as
 * the table says: 401 without a token, 403 for a role it refuses, anything else for one it allows.
 */
type Caller = 'no token' | Role;
const CALLERS: Caller[] = ['no token', ...ROLES];

interface MatrixRow {
  route: string;
  method: string;
  path: string;
  allowed: Record<Caller, boolean>;
}

function readMatrix(): MatrixRow[] {
  const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
  const start = readme.indexOf('\n### Roles\n');
  const end = readme.indexOf('\n### ', start + 1);
  if (start === -1 || end === -1) throw new Error('README has no "### Roles" section');
  const lines = readme.slice(start, end).split('\n').filter((l) => l.startsWith('|'));
  const headerIndex = lines.findIndex((l) => /^\| route \|/.test(l));
  if (headerIndex === -1) throw new Error('README "Roles" has no table with a "route" column');
  const cells = (line: string) => line.split('|').slice(1, -1).map((c) => c.trim());
  const header = cells(lines[headerIndex]!);
  const columns = CALLERS.map((caller) => {
    const index = header.indexOf(caller);
    if (index === -1) throw new Error(`the README role table has no "${caller}" column`);
    return [caller, index] as const;
  });
  if (!/^\|[\s:|-]+\|$/.test(lines[headerIndex + 1] ?? '')) throw new Error('README role table: no separator line under the header');
  return lines.slice(headerIndex + 2).map((line) => {
    const row = cells(line);
    const route = /^`([A-Z]+) (\/\S*)`$/.exec(row[0]!);
    if (!route) throw new Error(`README role table: cannot read the route of ${line}`);
    const allowed = Object.fromEntries(
      columns.map(([caller, index]) => {
        const mark = row[index];
        if (mark !== '✓' && mark !== '—') throw new Error(`README role table: ${route[0]} for ${caller} is neither ✓ nor —`);
        return [caller, mark === '✓'];
      }),
    ) as Record<Caller, boolean>;
    return { route: `${route[1]} ${route[2]}`, method: route[1]!, path: route[2]!, allowed };
  });
}

/** Every route the application answers through Nest (the documentation is served beside it, to anyone). */
function registeredRoutes(t: TestApp): string[] {
  const express = t.app.getHttpAdapter().getInstance() as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } };
  return express.router.stack
    .flatMap((layer) => {
      if (!layer.route || typeof layer.route.path !== 'string') return [];
      const methods = Object.keys(layer.route.methods).filter((m) => m !== '_all');
      // Nest's answer to unknown routes is mounted for every method: not a route.
      if (methods.length !== 1) return [];
      if (layer.route.path === '/docs' || layer.route.path.startsWith('/docs/') || layer.route.path.startsWith('/docs-')) return [];
      return [`${methods[0]!.toUpperCase()} ${layer.route.path}`];
    })
    .sort();
}

const MATRIX = readMatrix();
const DUMMY_ID = '00000000-0000-4000-8000-000000000000';
const PROBLEM_JSON = /^application\/problem\+json/;

describe('security: identity and roles', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ now: '2026-03-01T16:00:00Z' });
  });
  afterAll(async () => t.close());

  const call = (caller: Caller, method: string, path: string) => {
    const client = request(t, caller === 'no token' ? 'anonymous' : caller);
    const url = path.replace(/:[A-Za-z]+/g, DUMMY_ID);
    const verb = method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
    const test = client[verb](url);
    return method === 'GET' || method === 'DELETE' ? test : test.send({});
  };

  it('the README role table lists exactly the routes the application registers', () => {
    expect(MATRIX.length).toBeGreaterThan(40);
    expect(new Set(MATRIX.map((r) => r.route)).size).toBe(MATRIX.length);
    expect(MATRIX.map((r) => r.route).sort()).toEqual(registeredRoutes(t));
  });

  it('gives the viewer no route that answers case lists, case ids or audit data, and nobody but admin the tokens', () => {
    const viewer = MATRIX.filter((r) => r.allowed.viewer).map((r) => r.route);
    expect(viewer.sort()).toEqual([
      'DELETE /api/session',
      'GET /api/figures',
      'GET /api/session',
      'GET /api/stats',
      'GET /api/stats/amnesty',
      'GET /api/stats/flows',
      'GET /api/stats/reconciliation',
      'GET /api/stats/series',
      'GET /health',
      'POST /api/session',
    ]);
    for (const row of MATRIX.filter((r) => r.path.startsWith('/api/admin/'))) {
      expect([row.route, CALLERS.filter((c) => row.allowed[c])]).toEqual([row.route, ['admin']]);
    }
    expect(MATRIX.filter((r) => r.allowed['no token']).map((r) => r.route)).toEqual(['GET /health', 'POST /api/session']);
    // An auditor writes nothing; signing in and out of the web app is not a write of the record.
    expect(MATRIX.filter((r) => r.method !== 'GET' && r.allowed.auditor && r.path !== '/api/session').map((r) => r.route)).toEqual([]);
  });

  describe.each(MATRIX)('$route', (row) => {
    it.each(CALLERS)('answers %s as the table says', async (caller) => {
      const res = await call(caller, row.method, row.path);
      if (row.allowed[caller]) {
        expect([caller, res.status]).not.toEqual([caller, 401]);
        expect([caller, res.status]).not.toEqual([caller, 403]);
        expect(res.status).toBeLessThan(500);
      } else if (caller === 'no token') {
        expect(res.status).toBe(401);
        expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
        expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
        expect(res.body.code).toBe('UNAUTHENTICATED');
      } else {
        expect([caller, res.status]).toEqual([caller, 403]);
        expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
        expect(res.body.code).toBe('FORBIDDEN');
      }
    });
  });

  it('serves the documentation to anyone, and nothing else under /api without a token', async () => {
    const openApi = (await request(t, 'anonymous').get('/docs-json').expect(200)).body;
    // The documentation says how to authenticate, so that "Try it out" works with a token.
    expect(openApi.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(openApi.security).toEqual([{ bearer: [] }]);
    const page = await request(t, 'anonymous').get('/docs').expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    await request(t, 'anonymous').get('/docs/swagger-ui-init.js').expect(200);
  });

  it('refuses unknown, malformed and wrong-scheme credentials with 401 and a Bearer challenge', async () => {
    for (const header of [`Bearer pct_${'A'.repeat(43)}`, 'Bearer nope', `Basic ${t.tokens.caseworker}`, 'Bearer', `Bearer ${t.tokens.caseworker}x`]) {
      const res = await request(t, 'anonymous').get('/api/stats').set('Authorization', header).expect(401);
      expect(res.body).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
      expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="prisoner-case-tracker"/);
    }
  });

  it('keeps a viewer to counts: no answer it may read holds a name or a case id', async () => {
    const caseId = (
      await request(t)
        .post('/api/cases')
        .send({ person: { fullName: 'Nombre Muy Secreto', nationalities: ['VE'], gender: 'female', minor: false, affiliation: 'civilian' }, detention: { occurredOn: '2025-01-07', facility: 'Rodeo I' } })
        .expect(201)
    ).body.caseId as string;
    await request(t).post(`/api/cases/${caseId}/releases`).send({ occurredOn: '2026-01-08', legalBasis: 'government_announcement' }).expect(201);
    await request(t).post('/api/figures').send({ source: { kind: 'government', name: 'Ministerio' }, metric: 'releases', value: 10, since: '2026-01-08', asOf: '2026-01-23' }).expect(201);
    await t.settle();
    const queries: Record<string, string> = {
      'GET /api/stats': '?asOf=2026-01-07&groupBy=nationality,facility,gender&verification=all',
      'GET /api/stats/flows': '?from=2026-01-01&to=2026-02-01',
      'GET /api/stats/series': '?from=2026-01-01&to=2026-01-31&step=day',
      'GET /api/stats/reconciliation': '?metric=releases&since=2026-01-08&asOf=2026-01-23',
      'GET /api/figures': '',
      'GET /api/stats/amnesty': '?asOf=2026-01-23&verification=all',
      'GET /api/session': '',
    };
    // Signing in and out answer the caller's own session (checked in web-session.e2e-spec.ts).
    const viewerRoutes = MATRIX.filter((r) => r.allowed.viewer && r.path.startsWith('/api/') && r.route !== 'POST /api/session' && r.route !== 'DELETE /api/session');
    expect(viewerRoutes.map((r) => r.route).sort()).toEqual(Object.keys(queries).sort());
    for (const row of viewerRoutes) {
      const res = await request(t, 'viewer').get(`${row.path}${queries[row.route]}`).expect(200);
      const text = JSON.stringify(res.body);
      expect([row.route, text.includes('Nombre Muy Secreto'), text.includes(caseId)]).toEqual([row.route, false, false]);
    }
    // The same data is there for those who may read it.
    expect(JSON.stringify((await request(t, 'auditor').get('/api/cases').expect(200)).body)).toContain('Nombre Muy Secreto');
  });

  describe('tokens', () => {
    it('issues a token shown once, lists it without secret, lets it in, and revokes it at once', async () => {
      const issued = await request(t, 'admin').post('/api/admin/tokens').send({ role: 'viewer', name: 'vic.press', expiresAt: '2026-12-31T23:59:59Z' }).expect(201);
      expect(Object.keys(issued.body).sort()).toEqual(['id', 'token']);
      const { id, token } = issued.body as { id: string; token: string };
      expect(token).toMatch(/^pct_[A-Za-z0-9_-]{43}$/);
      await request(t, { token }).get('/api/stats').expect(200);
      await request(t, { token }).get('/api/cases').expect(403);

      const list = await request(t, 'admin').get('/api/admin/tokens').expect(200);
      expect(list.body.items.find((i: { id: string }) => i.id === id)).toEqual({
        id,
        name: 'vic.press',
        role: 'viewer',
        createdAt: '2026-03-01T16:00:00.000Z',
        expiresAt: '2026-12-31T23:59:59.000Z',
        revokedAt: null,
        status: 'active',
      });
      for (const secret of [token, hashAccessToken(token), t.tokens.admin, hashAccessToken(t.tokens.admin)]) expect(JSON.stringify(list.body)).not.toContain(secret);

      // Stored as its SHA-256 only.
      const rows: Record<string, unknown>[] = await t.app.get<DataSource>(READ_MODELS).query('SELECT * FROM api_tokens');
      expect(rows.filter((r) => r['id'] === id).map((r) => r['token_hash'])).toEqual([hashAccessToken(token)]);
      for (const secret of [token, ...Object.values(t.tokens)]) expect(JSON.stringify(rows)).not.toContain(secret);

      await request(t, 'admin').delete(`/api/admin/tokens/${id}`).expect(204);
      const refused = await request(t, { token }).get('/api/stats').expect(401);
      expect(refused.body.code).toBe('UNAUTHENTICATED');
      await request(t, 'admin').delete(`/api/admin/tokens/${id}`).expect(204);
      expect((await request(t, 'admin').get('/api/admin/tokens').expect(200)).body.items.find((i: { id: string }) => i.id === id)).toMatchObject({
        status: 'revoked',
        revokedAt: '2026-03-01T16:00:00.000Z',
      });

      // Token management is in the log and the audit log, with the admin as actor and no secret.
      await t.settle();
      const events = await t.store.readStream(`access-token-${id}`);
      expect(events.map((e) => [e.type, e.metadata.actor])).toEqual([
        ['AccessTokenIssued', 'token:bootstrap-admin'],
        ['AccessTokenRevoked', 'token:bootstrap-admin'],
      ]);
      expect(events[0]!.data).toEqual({ tokenId: id, name: 'vic.press', role: 'viewer', expiresAt: '2026-12-31T23:59:59.000Z' });
      const audit = (await request(t, 'auditor').get('/api/audit/log?actor=token:bootstrap-admin&pageSize=500').expect(200)).body;
      expect(audit.items.filter((i: { streamId: string }) => i.streamId === `access-token-${id}`).map((i: { type: string }) => i.type)).toEqual(['AccessTokenIssued', 'AccessTokenRevoked']);
      const bundle = (await request(t, 'auditor').get(`/api/audit/export?from=1&to=${await t.store.headPosition()}`).expect(200)).body;
      for (const secret of [token, hashAccessToken(token), ...Object.values(t.tokens), ...Object.values(t.tokens).map(hashAccessToken)]) {
        expect(JSON.stringify(bundle)).not.toContain(secret);
      }
    });

    it('refuses an expired token', async () => {
      const { token } = (await request(t, 'admin').post('/api/admin/tokens').send({ role: 'auditor', name: 'temp', expiresAt: '2026-03-01T17:00:00Z' }).expect(201)).body;
      await request(t, { token }).get('/api/audit/verify').expect(200);
      t.clock.set('2026-03-01T17:00:00Z');
      try {
        await request(t, { token }).get('/api/audit/verify').expect(401);
        const list = (await request(t, 'admin').get('/api/admin/tokens').expect(200)).body.items;
        expect(list.find((i: { name: string }) => i.name === 'temp').status).toBe('expired');
      } finally {
        t.clock.set('2026-03-01T16:00:00Z');
      }
    });

    it('names every invalid field of a token request, and an unknown token id', async () => {
      const bad = await request(t, 'admin').post('/api/admin/tokens').send({ role: 'root', name: 'has space', expiresAt: 'tomorrow', token: 'chosen' }).expect(400);
      expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['expiresAt', 'name', 'role', 'token']);
      const past = await request(t, 'admin').post('/api/admin/tokens').send({ role: 'viewer', name: 'late', expiresAt: '2026-03-01T15:00:00Z' }).expect(400);
      expect(past.body.errors).toEqual([{ field: 'expiresAt', messages: ['expiresAt must be in the future'] }]);
      const unknown = await request(t, 'admin').delete(`/api/admin/tokens/${DUMMY_ID}`).expect(404);
      expect(unknown.body.code).toBe('ACCESS_TOKEN_NOT_FOUND');
      await request(t, 'admin').delete('/api/admin/tokens/not-a-uuid').expect(400);
    });

    it('records what a token does under its name, whatever X-Actor says', async () => {
      const { token } = (await request(t, 'admin').post('/api/admin/tokens').send({ role: 'caseworker', name: 'maria' }).expect(201)).body;
      const opened = await request(t, { token }).post('/api/cases').set('X-Actor', 'mallory').send({ person: { fullName: 'Otra', nationalities: ['VE'], gender: 'male', minor: false, affiliation: 'civilian' } }).expect(201);
      const [event] = await t.store.readStream(`case-${opened.body.caseId}`);
      expect(event!.metadata.actor).toBe('token:maria');
    });
  });

  describe('headers', () => {
    it('sets the security headers, on the API and on the documentation', async () => {
      for (const path of ['/health', '/api/stats', '/docs', '/api/nowhere']) {
        const res = await request(t, 'viewer').get(path);
        const csp = res.headers['content-security-policy'] ?? '';
        expect([path, csp]).toEqual([path, expect.stringContaining("default-src 'self'")]);
        expect(csp).toContain("frame-ancestors 'none'");
        expect(csp).toContain("object-src 'none'");
        expect(csp).not.toContain('upgrade-insecure-requests');
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['x-frame-options']).toBe('DENY');
        expect(res.headers['referrer-policy']).toBe('no-referrer');
        expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
        expect(res.headers['x-powered-by']).toBeUndefined();
      }
      expect((await request(t, 'viewer').get('/api/stats')).headers['cache-control']).toBe('no-store');
    });

    it('answers no cross-origin request when CORS_ORIGINS is unset', async () => {
      const res = await request(t, 'viewer').get('/api/stats').set('Origin', 'https://evil.example.org').expect(200);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      const preflight = await request(t, 'anonymous').options('/api/stats').set('Origin', 'https://evil.example.org').set('Access-Control-Request-Method', 'GET');
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    });
  });
});

describe('security: CORS for configured origins only', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ now: '2026-03-01T16:00:00Z', env: { CORS_ORIGINS: 'https://tracker.example.org' } });
  });
  afterAll(async () => t.close());

  it('allows the configured origin, with the Authorization header, and no other', async () => {
    const preflight = await request(t, 'anonymous')
      .options('/api/stats')
      .set('Origin', 'https://tracker.example.org')
      .set('Access-Control-Request-Method', 'GET')
      .set('Access-Control-Request-Headers', 'authorization');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://tracker.example.org');
    expect(preflight.headers['access-control-allow-headers']).toMatch(/Authorization/);
    expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();
    const res = await request(t, 'viewer').get('/api/stats').set('Origin', 'https://tracker.example.org').expect(200);
    expect(res.headers['access-control-allow-origin']).toBe('https://tracker.example.org');
    const other = await request(t, 'viewer').get('/api/stats').set('Origin', 'https://evil.example.org').expect(200);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('security: first run without BOOTSTRAP_ADMIN_TOKEN', () => {
  it('creates an admin and prints its token once on stdout, framed', async () => {
    const written: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    let t: TestApp | undefined;
    try {
      t = await startTestApp({ now: '2026-03-01T16:00:00Z', adminToken: null });
      spy.mockRestore();
      const output = written.join('');
      expect(output).toMatch(/={70,}\n[\s\S]*shown this once[\s\S]*\n={70,}\n/);
      const token = /Authorization: Bearer (pct_[A-Za-z0-9_-]{43})\n/.exec(output)?.[1];
      expect(token).toBeDefined();
      const tokens = (await request(t, { token: token! }).get('/api/admin/tokens').expect(200)).body.items;
      expect(tokens.filter((i: { role: string }) => i.role === 'admin')).toEqual([expect.objectContaining({ name: 'bootstrap-admin', status: 'active' })]);

      // Once: the next start finds an admin and prints nothing.
      const again: string[] = [];
      const spyAgain = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
        again.push(String(chunk));
        return true;
      });
      try {
        await t.app.get(AdminBootstrap).onApplicationBootstrap();
      } finally {
        spyAgain.mockRestore();
      }
      expect(again.join('')).not.toContain('Bearer');
    } finally {
      spy.mockRestore();
      await t?.close();
    }
  });
});
