/**
 * The dashboard's first render in a real browser: the built API (`dist/apps/api/src/main.js`, which
 * serves the built web app at `/`) on SQLite, its log seeded with generated case histories and its
 * read models rebuilt by the CLI, then Debian's Chromium (through playwright-core) signed in as a
 * viewer and loading `/` again and again, each time in a fresh browser context (no cache).
 *
 * Two instants are read inside the page, on its own clock (`performance.now()`, zero at navigation
 * start): the headline counts shown (`.headlines[aria-busy="false"]` with numbers in it: the first
 * render a reader can use), and every panel loaded (no `[aria-busy="true"]` left). The reference is
 * the same page's `GET /api/stats` answered to a plain `fetch` from the page, in the same run.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { embeddedEnvironment, seedSqliteLog, startApi } from './api-process.js';
import { latency, type Latency } from './stats.js';

/** The little of the DOM the page-side functions use (the bench compiles without the DOM library). */
declare const document: {
  querySelector(selector: string): { textContent: string | null } | null;
  querySelectorAll(selector: string): { length: number };
};

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'];

export interface DashboardFigure {
  cases: number;
  events: number;
  seedSeconds: number;
  rebuildSeconds: number;
  samples: number;
  /** Navigation start → headline counts on screen, ms. */
  headlines: Latency;
  /** Navigation start → every panel loaded, ms. */
  allPanels: Latency;
  /** `GET /api/stats` fetched from the page, ms: the server's part of the headline. */
  statsFetch: Latency;
  /** JavaScript the first page load transferred, and all the app's JavaScript, bytes. */
  firstLoadJsBytes: number;
  allJsBytes: number;
}

export async function dashboardFirstRender(options: {
  root: string;
  work: string;
  cases: number;
  seed: number;
  samples: number;
  log: (message: string) => void;
}): Promise<DashboardFigure> {
  const { root, work, log } = options;
  const dataDir = join(work, 'web-dashboard');

  const seeded = await seedSqliteLog(dataDir, options.cases, options.seed);
  log(`dashboard: log seeded with ${seeded.events} events of ${options.cases} cases in ${seeded.seconds.toFixed(1)} s`);

  // The CLI rebuilds the read models before the API starts, as an operator loading a data set would.
  const started = Date.now();
  execFileSync(process.execPath, [join(root, 'dist', 'apps', 'cli', 'src', 'main.js'), 'rebuild'], { cwd: root, env: embeddedEnvironment(dataDir), stdio: ['ignore', 'ignore', 'pipe'] });
  const rebuildSeconds = (Date.now() - started) / 1000;
  log(`dashboard: read models rebuilt in ${rebuildSeconds.toFixed(1)} s`);

  const api = await startApi({ root, dataDir, logFile: join(work, 'web-dashboard-api.log'), timeoutMinutes: 10 });
  const { base, adminToken } = api;
  let browser: Browser | undefined;
  try {
    const issued = await fetch(`${base}/api/admin/tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'viewer', name: 'bench-viewer' }),
    });
    if (issued.status !== 201) throw new Error(`issuing a viewer token answered ${issued.status}: ${await issued.text()}`);
    const viewerToken = ((await issued.json()) as { token: string }).token;

    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    const headlines: number[] = [];
    const allPanels: number[] = [];
    const statsFetch: number[] = [];
    let firstLoadJsBytes = 0;
    // One unmeasured load warms the server (statement caches, JIT), as a reader's second visit would find it.
    for (let i = -1; i < options.samples; i++) {
      const context = await browser.newContext({ baseURL: base });
      const signIn = await context.request.post('/api/session', { data: { token: viewerToken } });
      if (signIn.status() !== 200) throw new Error(`sign-in answered ${signIn.status()}`);
      const page = await context.newPage();
      const scripts = new Set<string>();
      page.on('response', (response) => {
        const path = new URL(response.url()).pathname;
        if (path.startsWith('/assets/') && path.endsWith('.js')) scripts.add(path.slice('/assets/'.length));
      });
      await page.goto('/', { waitUntil: 'commit' });
      // Functions run in the page (strings would be eval'd, which the app's CSP forbids).
      const headlineAt = await page.waitForFunction(
        () => {
          const section = document.querySelector('.headlines[aria-busy="false"]');
          return section && /\d/.test(section.textContent ?? '') ? performance.now() : false;
        },
        undefined,
        { polling: 'raf', timeout: 60_000 },
      );
      const panelsAt = await page.waitForFunction(
        () => (document.querySelectorAll('section.panel').length > 0 && document.querySelectorAll('[aria-busy="true"]').length === 0 ? performance.now() : false),
        undefined,
        { polling: 'raf', timeout: 120_000 },
      );
      const fetchMs = await page.evaluate(async () => {
        const start = performance.now();
        const res = await fetch('/api/stats', { credentials: 'same-origin' });
        await res.json();
        return performance.now() - start;
      });
      if (i >= 0) {
        headlines.push((await headlineAt.jsonValue()) as number);
        allPanels.push((await panelsAt.jsonValue()) as number);
        statsFetch.push(fetchMs);
        const loaded = [...scripts].reduce((n, file) => n + statSync(join(root, 'dist', 'apps', 'web', 'assets', file)).size, 0);
        firstLoadJsBytes = Math.max(firstLoadJsBytes, loaded);
      }
      await context.close();
    }
    const assets = join(root, 'dist', 'apps', 'web', 'assets');
    const allJsBytes = readdirSync(assets)
      .filter((f) => f.endsWith('.js'))
      .reduce((n, f) => n + statSync(join(assets, f)).size, 0);
    return {
      cases: options.cases,
      events: seeded.events,
      seedSeconds: seeded.seconds,
      rebuildSeconds,
      samples: options.samples,
      headlines: latency(headlines),
      allPanels: latency(allPanels),
      statsFetch: latency(statsFetch),
      firstLoadJsBytes,
      allJsBytes,
    };
  } catch (error) {
    throw new Error(`${(error as Error).message}\nAPI log:\n${api.tail()}`, { cause: error });
  } finally {
    await browser?.close();
    await api.stop();
  }
}
