import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { checkAxe, launchBrowser, newPage, recordResponses, screenshot, signIn, startWebApp, watchConsole, type WebApp } from './support/browser.js';
import { seedDemo, type SeededCase } from './support/seed.js';

/**
 * The dashboard in a real browser: a viewer signs in with a token and sees the counts the API gives;
 * no name or case id reaches the viewer's page or its network answers; Spanish first, English on request
 * (and remembered); no serious or critical axe-core violation on any page of the app.
 */
describe('web dashboard', () => {
  let app: WebApp;
  let browser: Browser;
  let cases: SeededCase[];
  const tokens: Record<'viewer' | 'caseworker' | 'auditor', string> = { viewer: '', caseworker: '', auditor: '' };

  beforeAll(async () => {
    [app, browser] = await Promise.all([startWebApp(), launchBrowser()]);
    cases = await seedDemo(app.baseUrl, app.adminToken, { people: 40 });
    for (const role of ['viewer', 'caseworker', 'auditor'] as const) tokens[role] = await app.issueToken(role);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  const stats = async (asOf?: string) => (await app.call(app.adminToken, 'GET', `/api/stats${asOf ? `?asOf=${asOf}` : ''}`)).body as { deprivedOfLiberty: number; counts: Record<string, number> };
  const headline = (page: Page, metric: string) => page.locator(`[data-metric="${metric}"] .headline-value`);
  const waitForDashboard = async (page: Page) => {
    await page.locator('[data-metric="deprived"] .headline-value:not(:has(.skeleton))').waitFor();
    await page.waitForLoadState('networkidle');
    await page.locator('section.panel[aria-busy="false"]').nth(7).waitFor();
  };

  it('signs a viewer in with a token and shows the counts the API gives, and only the dashboard in the navigation', async () => {
    const { context, page } = await newPage(browser);
    const problems = watchConsole(page);
    await signIn(page, app, tokens.viewer);
    expect(new URL(page.url()).pathname).toBe('/');
    await waitForDashboard(page);
    const expected = await stats();
    expect(expected.deprivedOfLiberty).toBeGreaterThan(0);
    expect(await headline(page, 'deprived').textContent()).toBe(String(expected.deprivedOfLiberty));
    for (const status of ['detained', 'disappeared', 'house_arrest', 'conditional_release', 'released', 'deceased']) {
      expect(await headline(page, status).textContent()).toBe(String(expected.counts[status]));
    }
    const nav = page.getByRole('navigation', { name: 'Navegación principal' });
    expect(await nav.getByRole('link').allTextContents()).toEqual(['Panorama']);
    // The only failed request is the first session check, before signing in.
    expect(problems.filter((p) => !/401/.test(p))).toEqual([]);
    await context.close();
  });

  it('moves every panel to the day chosen', async () => {
    const { context, page } = await newPage(browser);
    await signIn(page, app, tokens.viewer);
    await waitForDashboard(page);
    const earlier = new Date(Date.now() - 100 * 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('Situación al').fill(earlier);
    await page.waitForURL((url) => url.searchParams.get('asOf') === earlier);
    await waitForDashboard(page);
    const expected = await stats(earlier);
    expect(await headline(page, 'deprived').textContent()).toBe(String(expected.deprivedOfLiberty));
    await context.close();
  });

  it('never gives a viewer a name or a case id: not in the page, not in any network answer', async () => {
    const { context, page } = await newPage(browser);
    const recorded = recordResponses(page);
    await signIn(page, app, tokens.viewer);
    await waitForDashboard(page);
    // A viewer asking for case pages gets the "no access" page, and no case data.
    await page.goto(`${app.baseUrl}/cases/${cases[0]!.caseId}`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.goto(`${app.baseUrl}/`);
    await waitForDashboard(page);
    await recorded.settle();
    const dom = await page.content();
    const apiAnswers = recorded.responses.filter((r) => new URL(r.url).pathname.startsWith('/api/stats'));
    expect(apiAnswers.length).toBeGreaterThanOrEqual(7);
    for (const c of cases) {
      expect(dom).not.toContain(c.fullName);
      expect(dom).not.toContain(c.caseId);
      for (const r of recorded.responses) {
        expect(r.body.includes(c.fullName) ? `${r.url} holds ${c.fullName}` : null).toBeNull();
        expect(r.body.includes(c.caseId) ? `${r.url} holds ${c.caseId}` : null).toBeNull();
      }
    }
    // The names are there to be found: the same check finds one in what a caseworker reads.
    const asCaseworker = await app.call(tokens.caseworker, 'GET', `/api/cases/${cases[0]!.caseId}`);
    expect(JSON.stringify(asCaseworker.body)).toContain(cases[0]!.fullName);
    await context.close();
  });

  it("downloads a chart's numbers as CSV: the same numbers the API gives", async () => {
    const { context, page } = await newPage(browser);
    await signIn(page, app, tokens.viewer);
    await waitForDashboard(page);
    const panel = page.locator('section.panel', { has: page.getByRole('heading', { name: 'Por centro de reclusión' }) });
    const [download] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'Descargar CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^by-facility-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '');
    const [header, ...lines] = csv.trim().split('\r\n');
    expect(header).toBe('Centro de reclusión,Detenidas,Paradero desconocido,Arresto domiciliario,Privadas de libertad');
    const fromCsv = Object.fromEntries(lines.map((l) => l.split(',')).map((cells) => [cells[0], Number(cells[4])]));
    const api = (await app.call(app.adminToken, 'GET', '/api/stats?groupBy=facility')).body as { groups: { group: { facility: string | null }; deprivedOfLiberty: number }[] };
    const expected = Object.fromEntries(api.groups.filter((g) => g.deprivedOfLiberty > 0).map((g) => [g.group.facility ?? 'Sin dato', g.deprivedOfLiberty]));
    expect(Object.keys(expected).length).toBeGreaterThan(1);
    expect(fromCsv).toEqual(expected);
    await context.close();
  });

  it('on a plain visit, sends the session check and both headline requests at once, each once', async () => {
    const { context, page } = await newPage(browser);
    await signIn(page, app, tokens.viewer);
    await waitForDashboard(page);
    const seen: string[] = [];
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.pathname.startsWith('/api/')) seen.push(`request ${url.pathname}${url.search}`);
    });
    page.on('response', (r) => {
      if (new URL(r.url()).pathname === '/api/session') seen.push('session answered');
    });
    await page.goto(`${app.baseUrl}/`);
    await waitForDashboard(page);
    const dayInCaracas = (ms: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Caracas' }).format(new Date(ms));
    const today = dayInCaracas(Date.now());
    const since = new Date(Date.parse(`${today}T00:00:00Z`) - 90 * 86_400_000).toISOString().slice(0, 10);
    const headlineRequests = [`request /api/stats?asOf=${today}`, `request /api/stats?asOf=${since}`];
    expect(seen.filter((e) => e === 'request /api/session')).toHaveLength(1);
    for (const request of headlineRequests) {
      // Sent once: the page took the early answer instead of asking again.
      expect(seen.filter((e) => e === request)).toHaveLength(1);
      // Sent before the session check answered, not after the app had rendered.
      expect(seen.indexOf(request)).toBeLessThan(seen.indexOf('session answered'));
    }
    expect(await headline(page, 'deprived').textContent()).toBe(String((await stats()).deprivedOfLiberty));
    await context.close();
  });

  it('signs out: the cookie is gone, and the dashboard asks for a token again', async () => {
    const { context, page } = await newPage(browser);
    await signIn(page, app, tokens.viewer);
    await waitForDashboard(page);
    await page.getByRole('button', { name: 'Cerrar sesión' }).click();
    await page.waitForURL((url) => url.pathname === '/sign-in');
    expect(await page.getByRole('status').textContent()).toBe('Ha cerrado la sesión.');
    expect((await context.cookies()).filter((c) => c.name === 'pct_session')).toEqual([]);
    await page.goto(`${app.baseUrl}/`);
    await page.waitForURL((url) => url.pathname === '/sign-in');
    await context.close();
  });

  it('shows a refused token at the field, and signs in after', async () => {
    const { context, page } = await newPage(browser);
    await page.goto(`${app.baseUrl}/`);
    await page.waitForURL((url) => url.pathname === '/sign-in');
    const field = page.getByLabel('Token de acceso');
    await field.fill(`pct_${'x'.repeat(43)}`);
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.locator('.field-error').waitFor();
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await field.getAttribute('aria-describedby')) ?? '';
    expect(await page.locator(`#${describedBy.split(' ').pop()}`).textContent()).toMatch(/no es válido/);
    await field.fill(tokens.viewer);
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await context.close();
  });

  it('switches from Spanish to English, keeps the choice across visits, and writes a screenshot in each', async () => {
    const { context, page } = await newPage(browser);
    await signIn(page, app, tokens.viewer);
    await waitForDashboard(page);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Panorama');
    expect(await page.locator('html').getAttribute('lang')).toBe('es');
    await screenshot(page, 'dashboard-es.png');

    await page.getByRole('button', { name: 'English' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Overview');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.getByRole('heading', { name: 'People deprived of liberty over time' }).count()).toBe(1);

    await page.reload();
    await waitForDashboard(page);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Overview');
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(1);
    await screenshot(page, 'dashboard-en.png');

    await page.getByRole('button', { name: 'Español' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Panorama');
    await context.close();
  });

  it('gives auditors a known-at control that moves the counts back to what had been recorded then', async () => {
    const { context, page } = await newPage(browser);
    await signIn(page, app, tokens.auditor);
    await waitForDashboard(page);
    const before = Number(await headline(page, 'deprived').textContent());
    // Nothing had been recorded an hour before the seed: every count is zero as known then.
    const anHourAgo = new Date(Date.now() - 3_600_000 - 4 * 3_600_000).toISOString().slice(0, 16);
    await page.getByLabel('Conocido al (hora de Caracas)').fill(anHourAgo);
    await page.waitForURL((url) => url.searchParams.has('knownAt'));
    await waitForDashboard(page);
    expect(before).toBeGreaterThan(0);
    expect(await headline(page, 'deprived').textContent()).toBe('0');
    await context.close();
  });

  describe('accessibility (axe-core: no serious or critical violation)', () => {
    it('on the sign-in page and the dashboard, in both languages', async () => {
      const { context, page } = await newPage(browser);
      await page.goto(`${app.baseUrl}/sign-in`);
      await page.getByLabel('Token de acceso').waitFor();
      await checkAxe(page, 'the sign-in page');
      await signIn(page, app, tokens.auditor);
      await waitForDashboard(page);
      await checkAxe(page, 'the dashboard (es, auditor)');
      await page.getByRole('button', { name: 'English' }).click();
      await checkAxe(page, 'the dashboard (en, auditor)');
      await context.close();
    });

    it.each([
      ['caseworker', '/cases'],
      ['caseworker', '/cases/:id'],
      ['caseworker', '/today'],
      ['auditor', '/audit'],
      ['auditor', '/audit/cases/:id'],
    ] as const)('as %s on %s', async (role, path) => {
      const { context, page } = await newPage(browser);
      await signIn(page, app, tokens[role]);
      await page.goto(`${app.baseUrl}${path.replace(':id', cases[0]!.caseId)}`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.waitForLoadState('networkidle');
      await checkAxe(page, `${path} as ${role}`);
      await context.close();
    });
  });
});
