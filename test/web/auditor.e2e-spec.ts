import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import type { Browser, Locator, Page } from 'playwright-core';
import { DIST } from '../support/processes.js';
import { checkAxe, launchBrowser, newPage, signIn, startWebApp, watchConsole, type WebApp } from './support/browser.js';
import { addDays, todayInCaracas } from './support/seed.js';

const run = promisify(execFile);

/**
 * The auditor's view in a real browser: a case replayed as of a day and as known at a moment (a
 * re-arrest recorded later is absent from the earlier knowledge), the chain verification as the API
 * reports it, bundles downloaded byte for byte and verified offline by the CLI, and no serious or
 * critical axe-core violation.
 */
describe('web auditor view', () => {
  let app: WebApp;
  let browser: Browser;
  let auditor: string;
  let caseId: string;
  /** A moment after the release was recorded and before the re-arrest was. */
  let between: string;
  const today = todayInCaracas();
  const fullName = 'Andrés Auditoría Prueba';

  beforeAll(async () => {
    [app, browser] = await Promise.all([startWebApp(), launchBrowser()]);
    const caseworker = await app.issueToken('caseworker', 'maria');
    auditor = await app.issueToken('auditor', 'ana');
    const post = async (path: string, body: unknown) => {
      const res = await app.call(caseworker, 'POST', path, body);
      if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as { caseId: string };
    };
    ({ caseId } = await post('/api/cases', {
      person: { fullName, nationalities: ['VE'], gender: 'male', minor: false, affiliation: 'civilian', externalReference: 'AUD-1' },
      detention: { occurredOn: addDays(today, -30), facility: 'El Helicoide', source: { kind: 'ngo', name: 'Foro Penal' } },
    }));
    await post(`/api/cases/${caseId}/releases`, { occurredOn: addDays(today, -10), legalBasis: 'amnesty_law', conditions: { reportEveryDays: 15 } });
    const events = (await app.call(caseworker, 'GET', `/api/cases/${caseId}/events`)).body as { events: { type: string; recordedAt: string }[] };
    const releasedAt = Date.parse(events.events.find((e) => e.type === 'Released')!.recordedAt);
    // Whole seconds: the page's date-time control has a one-second step.
    between = new Date(Math.ceil((releasedAt + 1) / 1000) * 1000).toISOString();
    while (Date.now() < Date.parse(between) + 1100) await new Promise((r) => setTimeout(r, 100));
    await post(`/api/cases/${caseId}/re-arrests`, { occurredOn: addDays(today, -5), facility: 'Rodeo I' });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  const history = (page: Page): Locator => page.getByRole('list', { name: /^Historial conocido entonces/ }).getByRole('listitem');
  const status = (page: Page) => page.locator('.cw-summary .cw-status').first().textContent();
  /** The instant as a Caracas wall-clock time (UTC−4 all year), as the date-time control takes it. */
  const caracasLocal = (iso: string) => new Date(Date.parse(iso) - 4 * 3_600_000).toISOString().slice(0, 19);

  it('replays a case as of a day and as known at a moment', async () => {
    const { context, page } = await newPage(browser);
    const problems = watchConsole(page);
    await signIn(page, app, auditor);
    await page.getByRole('navigation').getByRole('link', { name: 'Auditoría' }).click();
    await page.getByRole('heading', { level: 1, name: 'Auditoría' }).waitFor();
    await page.getByLabel('Buscar por nombre o referencia externa').fill('aud-1');
    await page.getByRole('button', { name: 'Buscar' }).click();
    await page.getByRole('link', { name: fullName }).click();
    await page.getByRole('heading', { level: 1, name: `Auditoría: ${fullName}` }).waitFor();

    // Now, as known now: re-arrested, four events.
    await page.getByRole('heading', { name: 'Historial conocido entonces (4 eventos)' }).waitFor();
    expect(await status(page)).toBe('Detenido/a');

    // As known just before the re-arrest was recorded: still on conditional release, three events.
    await page.getByLabel('Tal como se conocía el').fill(caracasLocal(between));
    await page.getByRole('button', { name: 'Reconstruir' }).click();
    await page.waitForURL((url) => url.searchParams.get('knownAt') === between);
    await page.getByRole('heading', { name: 'Historial conocido entonces (3 eventos)' }).waitFor();
    expect(await status(page)).toBe('Libertad condicional');
    expect(await history(page).and(page.locator('[data-event-type="ReArrested"]')).count()).toBe(0);
    const api = (await app.call(auditor, 'GET', `/api/cases/${caseId}?knownAt=${between}`)).body as { status: string };
    expect(api.status).toBe('conditional_release');

    // As of a day before the release, as known now: detained, and the release is listed but does not count.
    await page.getByLabel('Tal como se conocía el').fill('');
    await page.getByLabel('Situación al día').fill(addDays(today, -15));
    await page.getByRole('button', { name: 'Reconstruir' }).click();
    await page.waitForURL((url) => url.searchParams.get('asOf') === addDays(today, -15) && !url.searchParams.has('knownAt'));
    await page.getByRole('heading', { name: 'Historial conocido entonces (4 eventos)' }).waitFor();
    expect(await status(page)).toBe('Detenido/a');
    const entry = (type: string) => history(page).and(page.locator(`[data-event-type="${type}"]`));
    expect(await entry('Released').locator('.cw-badge-ignored').textContent()).toBe('No cuenta');
    expect(await entry('ReArrested').locator('.cw-badge-ignored').textContent()).toBe('No cuenta');
    expect(await entry('Detained').locator('.cw-badge-counts').textContent()).toBe('Cuenta');

    await checkAxe(page, 'the audit case page');
    expect(problems.filter((p) => !/401/.test(p))).toEqual([]);
    await context.close();
  });

  it('shows the chain verification the API reports, and downloads bundles the CLI verifies offline', async () => {
    const { context, page } = await newPage(browser);
    await signIn(page, app, auditor);
    await page.goto(`${app.baseUrl}/audit`);
    await page.getByRole('button', { name: 'Verificar la cadena' }).click();
    const result = page.getByTestId('chain-result');
    await result.waitFor();
    const verified = (await app.call(auditor, 'GET', '/api/audit/verify')).body as { valid: boolean; eventsChecked: number; headHash: string; lastPosition: number };
    expect(verified.valid).toBe(true);
    expect(await result.getAttribute('data-valid')).toBe('true');
    const text = (await result.textContent()) ?? '';
    expect(text).toContain('La cadena está íntegra');
    expect(text).toContain(String(verified.eventsChecked));
    expect(text).toContain(verified.headHash);
    await checkAxe(page, 'the audit page with a verification result');

    // A range of the log.
    await page.getByLabel('Hasta la posición').last().fill(String(verified.lastPosition));
    const rangeDownload = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Descargar el paquete' }).click();
    const rangeFile = await (await rangeDownload).path();
    const range = JSON.parse(readFileSync(rangeFile, 'utf8')) as { format: string; events: unknown[] };
    expect(range.format).toBe('prisoner-case-tracker/audit-bundle@1');
    expect(range.events).toHaveLength(verified.lastPosition);
    await page.getByTestId('bundle-result').waitFor();
    expect((await run(process.execPath, [DIST.cli, 'verify-bundle', rangeFile])).stdout).toContain(`bundle intact: ${verified.lastPosition} events`);

    // One case, from its audit page.
    await page.goto(`${app.baseUrl}/audit/cases/${caseId}`);
    await page.getByRole('heading', { level: 1, name: `Auditoría: ${fullName}` }).waitFor();
    const caseDownload = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Descargar el paquete del caso' }).click();
    const download = await caseDownload;
    expect(download.suggestedFilename()).toBe(`audit-bundle-case-${caseId.slice(0, 8)}-${today}.json`);
    const caseFile = await download.path();
    const bundle = JSON.parse(readFileSync(caseFile, 'utf8')) as { scope: { caseId: string }; events: { type: string }[] };
    expect(bundle.scope.caseId).toBe(caseId);
    expect(bundle.events.map((e) => e.type)).toEqual(['CaseOpened', 'Detained', 'Released', 'ReArrested']);
    const { stdout } = await run(process.execPath, [DIST.cli, 'verify-bundle', caseFile]);
    expect(stdout).toContain('bundle intact: 4 events');
    await context.close();
  });
});
