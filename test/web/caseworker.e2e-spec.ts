import type { Browser, Locator, Page } from 'playwright-core';
import { checkAxe, launchBrowser, newPage, screenshot, signIn, startWebApp, watchConsole, type WebApp } from './support/browser.js';
import { addDays, seedDemo, todayInCaracas } from './support/seed.js';

/**
 * The caseworker's screens in a real browser: open a case through the form (the API's field error
 * shown at its field), find it in the list, record a conditional release (a double click records it
 * once), see the timeline change and the dashboard for that day count one person fewer detained; a
 * case changed behind the page's back answers 412 and the page offers a reload; axe-core finds no
 * serious or critical violation on the list, case and today pages.
 */
describe('web caseworker screens', () => {
  let app: WebApp;
  let browser: Browser;
  let caseworker: string;
  const today = todayInCaracas();
  // The release is backdated a little: the dashboard is asked about that day, not just today.
  const releaseDay = addDays(today, -2);
  const fullName = 'Rocío Prueba Navegador';
  let caseId = '';

  beforeAll(async () => {
    [app, browser] = await Promise.all([startWebApp(), launchBrowser()]);
    await seedDemo(app.baseUrl, app.adminToken, { people: 15 });
    caseworker = await app.issueToken('caseworker', 'maria');
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  type Stored = { type: string; eventId: string; metadata: { actor: string; occurredOn: string } };
  const storedEvents = async (): Promise<Stored[]> => ((await app.call(caseworker, 'GET', `/api/cases/${caseId}/events`)).body as { events: Stored[] }).events;
  const detainedOn = async (day: string): Promise<number> =>
    ((await app.call(caseworker, 'GET', `/api/stats?asOf=${day}`)).body as { counts: Record<string, number> }).counts['detained']!;
  const timeline = (page: Page): Locator => page.getByRole('list', { name: /^Cronología/ }).getByRole('listitem');
  const waitForCase = (page: Page) => page.getByRole('heading', { level: 1, name: fullName }).waitFor();

  /** The dashboard's detained headline for a day, once it has loaded. */
  async function dashboardDetained(page: Page, day: string): Promise<string | null> {
    await page.goto(`${app.baseUrl}/?asOf=${day}`);
    const value = page.locator('[data-metric="detained"] .headline-value:not(:has(.skeleton))');
    await value.waitFor();
    await page.waitForLoadState('networkidle');
    return value.textContent();
  }

  /** Waits until the read models reflect what the page recorded (the projector runs beside the API). */
  async function untilProjected(check: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + 15_000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error('the read models did not catch up within 15 s');
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  it('opens a case through the form, showing at its field the nationality the API refuses', async () => {
    const { context, page } = await newPage(browser);
    const problems = watchConsole(page);
    await signIn(page, app, caseworker);
    await page.getByRole('navigation').getByRole('link', { name: 'Casos' }).click();
    await page.getByRole('heading', { level: 1, name: 'Casos' }).waitFor();
    await page.getByRole('button', { name: 'Abrir un caso' }).click();
    const form = page.locator('#cw-open-case');

    // The browser's own checks first: nothing is sent while a required field is empty.
    await form.getByRole('button', { name: 'Abrir el caso' }).click();
    await expectFieldError(form, 'Nombre completo', 'Este dato es obligatorio.');
    await expectFieldError(form, 'Fecha en que ocurrió', 'Este dato es obligatorio.');

    await form.getByLabel('Nombre completo').fill(fullName);
    // Two letters pass the browser's check; the API knows "XX" is no country and names the field.
    await form.getByLabel('Nacionalidades').fill('VE, XX');
    await form.getByLabel('Género').selectOption('female');
    await form.getByLabel('Fecha en que ocurrió').fill(addDays(today, -400));
    await form.getByLabel('Centro de reclusión').fill('El Helicoide');
    await form.getByRole('button', { name: 'Abrir el caso' }).click();
    await expectFieldError(form, 'Nacionalidades', /ISO31661 Alpha2/);

    await form.getByLabel('Nacionalidades').fill('VE, ES');
    await form.getByRole('button', { name: 'Abrir el caso' }).click();
    await waitForCase(page);
    caseId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    expect((await storedEvents()).map((e) => e.type)).toEqual(['CaseOpened', 'Detained']);
    expect(problems.filter((p) => !/40[01]/.test(p))).toEqual([]);
    await context.close();
  });

  it('finds the case by name, records a conditional release once despite a double click, and the timeline and the dashboard follow', async () => {
    const { context, page } = await newPage(browser);
    const problems = watchConsole(page);
    await signIn(page, app, caseworker);
    await untilProjected(async () => ((await app.call(caseworker, 'GET', `/api/cases?q=${encodeURIComponent('prueba navegador')}`)).body as { total: number }).total === 1);
    const detainedBefore = await dashboardDetained(page, releaseDay);
    expect(detainedBefore).toBe(String(await detainedOn(releaseDay)));

    await page.goto(`${app.baseUrl}/cases`);
    await page.getByLabel('Buscar por nombre o referencia externa').fill('prueba navegador');
    await page.getByRole('button', { name: 'Aplicar' }).click();
    await page.waitForURL((url) => url.searchParams.get('q') === 'prueba navegador');
    await page.getByRole('link', { name: fullName }).click();
    await waitForCase(page);
    expect(await timeline(page).count()).toBe(2);
    expect(await page.locator('.cw-summary .cw-status').first().textContent()).toBe('Detenido/a');

    await page.getByLabel('¿Qué ocurrió?').selectOption('releases');
    // A date the API refuses (before 1950) although it is a real day: its message lands on the date field.
    await page.getByLabel('Base legal').selectOption('government_announcement');
    await page.getByLabel('Presentación ante tribunal cada (días)').fill('30');
    await page.getByLabel('Prohibición de declarar públicamente').check();
    await page.getByLabel('Fecha en que ocurrió').fill('1949-12-31');
    await page.getByLabel('Tipo de fuente').selectOption('ngo');
    await page.getByLabel('Nombre de la fuente').fill('Foro Penal');
    await page.getByRole('button', { name: /^Registrar: Excarcelación/ }).click();
    await expectFieldError(page, 'Fecha en que ocurrió', /1950-01-01/);

    await page.getByLabel('Fecha en que ocurrió').fill(releaseDay);
    await page.getByRole('button', { name: /^Registrar: Excarcelación/ }).dblclick();
    await page.getByRole('status').filter({ hasText: 'Registrado: Excarcelación' }).first().waitFor();
    await page.getByRole('heading', { name: 'Cronología (3 eventos)' }).waitFor();

    const newest = timeline(page).first();
    expect(await newest.locator('.cw-event-type').textContent()).toBe('Excarcelación');
    expect(await newest.textContent()).toContain('presentarse cada 30 días');
    expect(await newest.textContent()).toContain('ONG: Foro Penal');
    expect(await newest.textContent()).toContain('por maria');
    expect(await page.locator('.cw-summary .cw-status').first().textContent()).toBe('Libertad condicional');
    const releases = (await storedEvents()).filter((e) => e.type === 'Released');
    expect(releases).toHaveLength(1);
    expect(releases[0]!.metadata).toMatchObject({ actor: 'token:maria', occurredOn: releaseDay });

    const expected = Number(detainedBefore) - 1;
    await untilProjected(async () => (await detainedOn(releaseDay)) === expected);
    expect(await dashboardDetained(page, releaseDay)).toBe(String(expected));
    expect(problems.filter((p) => !/40[01]/.test(p))).toEqual([]);
    await context.close();
  });

  it('tells the caseworker when someone else changed the case (412), reloads it, and keeps what was typed', async () => {
    const { context, page } = await newPage(browser);
    await signIn(page, app, caseworker);
    await page.goto(`${app.baseUrl}/cases/${caseId}`);
    await waitForCase(page);
    const before = await timeline(page).count();

    await page.getByLabel('¿Qué ocurrió?').selectOption('presentations');
    await page.getByLabel('Resultado').selectOption('attended');
    await page.getByLabel('Tribunal').fill('Tribunal 3.º de Control');
    await page.getByLabel('Fecha en que ocurrió').fill(today);

    // Behind the page's back, another caseworker records charges on the same case.
    const changed = await app.call(caseworker, 'POST', `/api/cases/${caseId}/charges`, { occurredOn: today, charges: ['instigación al odio'] });
    expect(changed.status).toBe(201);

    await page.getByRole('button', { name: /^Registrar: Presentación/ }).click();
    const stale = page.getByRole('alert').filter({ hasText: 'Otra persona modificó este caso' });
    await stale.waitFor();
    expect((await storedEvents()).some((e) => e.type === 'PresentationRecorded')).toBe(false);

    await stale.getByRole('button', { name: 'Recargar el caso' }).click();
    await page.getByRole('heading', { name: `Cronología (${before + 1} eventos)` }).waitFor();
    expect(await timeline(page).first().locator('.cw-event-type').textContent()).toBe('Cargos');
    await expect(page.getByLabel('Tribunal').inputValue()).resolves.toBe('Tribunal 3.º de Control');
    expect(await stale.count()).toBe(0);

    await page.getByRole('button', { name: /^Registrar: Presentación/ }).click();
    await page.getByRole('heading', { name: `Cronología (${before + 2} eventos)` }).waitFor();
    expect((await storedEvents()).filter((e) => e.type === 'PresentationRecorded')).toHaveLength(1);
    await context.close();
  });

  it('shows the work of the day and passes axe-core on the list, case and today pages, in both languages', async () => {
    const { context, page } = await newPage(browser);
    await signIn(page, app, caseworker);

    await page.goto(`${app.baseUrl}/cases`);
    await page.locator('a[data-case-id]').first().waitFor();
    await page.getByRole('button', { name: 'Abrir un caso' }).click();
    await checkAxe(page, 'the case list with the form to open a case');

    await page.goto(`${app.baseUrl}/today`);
    await page.getByRole('heading', { level: 1, name: 'Trabajo del día' }).waitFor();
    await page.waitForLoadState('networkidle');
    const get = async <T,>(path: string) => (await app.call(caseworker, 'GET', path)).body as T;
    const disappeared = await get<{ total: number }>(`/api/cases?status=disappeared&asOf=${today}`);
    const amnesty = await get<{ items: { dueOn: string; overdue: boolean }[] }>(`/api/amnesty-requests?state=pending&asOf=${today}`);
    const presentations = await get<{ due: unknown[]; missed: unknown[] }>(`/api/presentations/due?on=${today}`);
    // Overdue, or due within the page's default horizon of five days.
    const amnestyDue = amnesty.items.filter((r) => r.overdue || r.dueOn <= addDays(today, 5)).length;
    expect(disappeared.total + amnestyDue).toBeGreaterThan(0);
    await page.getByRole('heading', { name: `Paradero desconocido (${disappeared.total})` }).waitFor();
    await page.getByRole('heading', { name: `Amnistías por vencer o vencidas (${amnestyDue})` }).waitFor();
    await page.getByRole('heading', { name: `Presentaciones ante tribunal del día (${presentations.due.length + presentations.missed.length})` }).waitFor();
    await checkAxe(page, "today's work");

    await page.goto(`${app.baseUrl}/cases/${caseId}`);
    await waitForCase(page);
    await page.getByLabel('¿Qué ocurrió?').selectOption('releases');
    await page.getByRole('button', { name: /^Registrar: Excarcelación/ }).click();
    await expectFieldError(page, 'Base legal', 'Este dato es obligatorio.');
    await checkAxe(page, 'the case page with a form showing errors');

    // A correction from the timeline: the charges are retracted, and stay visible, struck through, with the reason.
    await page.getByRole('button', { name: /^Retirar: Cargos/ }).click();
    expect(await page.getByLabel('¿Qué ocurrió?').inputValue()).toBe('retractions');
    await page.getByLabel('Motivo de la corrección').fill('Cargos atribuidos a otra persona');
    await page.getByRole('button', { name: /^Registrar: Retirar/ }).click();
    const charges = timeline(page).and(page.locator('[data-event-type="ChargesRecorded"]'));
    await charges.locator('del').first().waitFor();
    expect(await charges.textContent()).toContain('Cargos atribuidos a otra persona');
    expect(await page.locator('.cw-summary').textContent()).not.toContain('instigación al odio');
    await page.getByLabel('¿Qué ocurrió?').selectOption('');
    await screenshot(page, 'case-es.png');

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: /^Timeline \(\d+ events\)$/ }).waitFor();
    expect(await page.locator('.cw-summary .cw-status').first().textContent()).toBe('Conditional release');
    await checkAxe(page, 'the case page in English');
    await screenshot(page, 'case-en.png');
    await context.close();
  });
});

/** The control labelled `label` is marked invalid and its error text (linked by aria-describedby) says `message`. */
async function expectFieldError(root: Page | Locator, label: string, message: string | RegExp): Promise<void> {
  const control = root.getByLabel(label).and(root.locator('[aria-invalid="true"]'));
  await control.waitFor({ timeout: 10_000 });
  const describedBy = (await control.getAttribute('aria-describedby')) ?? '';
  const texts = await Promise.all(describedBy.split(' ').filter(Boolean).map((id) => root.locator(`[id="${id}"]`).textContent()));
  const joined = texts.join(' ');
  if (typeof message === 'string') expect(joined).toContain(message);
  else expect(joined).toMatch(message);
}
