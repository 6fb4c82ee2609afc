// Browser tests drive Debian's chromium (Playwright's own download does not work here) against the built API,
// started as its own process on a temporary data directory and port.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page, type Response } from 'playwright-core';
import { ROOT, startApiProcess, waitUntil, type RunningProcess } from '../../support/processes.js';

export type Role = 'admin' | 'caseworker' | 'auditor' | 'viewer';

export const SCREENSHOTS = join(ROOT, 'test/web/screenshots');
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  // Playwright gives each launch a fresh temporary profile (user-data-dir) and removes it on close.
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
}

export interface WebApp {
  baseUrl: string;
  adminToken: string;
  process: RunningProcess;
  /** Issues a token for a role (through the admin route, as an operator would). */
  issueToken(role: Role, name?: string): Promise<string>;
  /** Calls the API with a bearer token (for seeding and checking, beside the browser). */
  call(token: string, method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: unknown; headers: Headers }>;
  stop(): Promise<void>;
}

/** Starts dist/apps/api (which serves dist/apps/web at /) with a bootstrap admin token. */
export async function startWebApp(env: Record<string, string> = {}): Promise<WebApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pct-web-'));
  const adminToken = `pct_${'w'.repeat(43)}`;
  const { process: child, origin: baseUrl } = await startApiProcess({
    DATA_DIR: dataDir,
    BOOTSTRAP_ADMIN_TOKEN: adminToken,
    EVENT_STORE: 'sqlite',
    // Many sign-ins and page loads from one address in a short test run.
    RATE_LIMIT_PER_MINUTE: '100000',
    ...env,
  });
  try {
    await waitUntil(
      async () => {
        if (child.child.exitCode !== null) throw new Error(`the API exited: ${child.output.join('\n')}`);
        try {
          return (await fetch(`${baseUrl}/health`)).ok;
        } catch {
          return false;
        }
      },
      30_000,
      'the API to answer /health',
    );
  } catch (e) {
    await child.kill();
    throw e;
  }
  const call: WebApp['call'] = async (token, method, path, body, headers = {}) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // Not JSON: keep the text.
    }
    return { status: res.status, body: parsed, headers: res.headers };
  };
  let issued = 0;
  return {
    baseUrl,
    adminToken,
    process: child,
    call,
    async issueToken(role, name = `web-${role}-${++issued}`) {
      const res = await call(adminToken, 'POST', '/api/admin/tokens', { role, name });
      if (res.status !== 201) throw new Error(`issuing a ${role} token: ${res.status} ${JSON.stringify(res.body)}`);
      return (res.body as { token: string }).token;
    },
    async stop() {
      await child.kill('SIGTERM');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Signs in through the sign-in page, as a person would, and waits for the app to leave it. */
export async function signIn(page: Page, app: WebApp, token: string): Promise<void> {
  await page.goto(`${app.baseUrl}/sign-in`);
  await page.getByLabel(/Token de acceso|Access token/).fill(token);
  await page.getByRole('button', { name: /^(Entrar|Sign in)$/ }).click();
  await page.waitForURL((url) => url.pathname !== '/sign-in');
}

/** A fresh context (its own cookies and storage) with a page, in Spanish unless told. */
export async function newPage(browser: Browser, opts: { width?: number; height?: number } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: opts.width ?? 1280, height: opts.height ?? 900 }, locale: 'es-VE', timezoneId: 'America/Caracas' });
  const page = await context.newPage();
  // Any script error or refused resource (CSP) fails the tests that check for it.
  return { context, page };
}

/** Collects what the page logs as errors and what the CSP refuses. */
export function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  return problems;
}

export interface RecordedResponse {
  url: string;
  status: number;
  body: string;
}

/** Records every response the page receives, with its body, until `stop()`. */
export function recordResponses(page: Page): { responses: RecordedResponse[]; settle: () => Promise<void> } {
  const responses: RecordedResponse[] = [];
  const pending: Promise<void>[] = [];
  const onResponse = (response: Response) => {
    pending.push(
      response
        .body()
        .then((body) => void responses.push({ url: response.url(), status: response.status(), body: body.toString('utf8') }))
        .catch(() => void responses.push({ url: response.url(), status: response.status(), body: '' })),
    );
  };
  page.on('response', onResponse);
  return {
    responses,
    settle: async () => {
      await Promise.all(pending);
    },
  };
}

const AXE_SOURCE = readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/**
 * Runs axe-core in the page and fails on any serious or critical violation. The page's CSP refuses inline
 * scripts, so axe is evaluated through the DevTools protocol rather than added as a script tag.
 */
export async function checkAxe(page: Page, what: string): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  // A string, not a function: this file is type-checked without the DOM library.
  const violations = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) =>
    r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) })))`)) as AxeViolation[];
  const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (blocking.length > 0) {
    const detail = blocking.map((v) => `${v.impact} ${v.id}: ${v.help}\n${v.nodes.slice(0, 5).map((n) => `   at ${n.target.join(' ')}: ${n.failureSummary ?? ''}`).join('\n')}`).join('\n');
    throw new Error(`axe-core found serious or critical violations on ${what}:\n${detail}`);
  }
  return violations;
}

/** Writes a full-page screenshot to test/web/screenshots/<name> (a folder git ignores). */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, name.endsWith('.png') ? name : `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
