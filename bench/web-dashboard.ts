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
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { SqliteEventStore } from '#event-store';
import { generateDataset } from './generator.js';
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
  mkdirSync(dataDir, { recursive: true });

  let t = Date.now();
  const dataset = generateDataset({ cases: options.cases, seed: options.seed });
  let now = new Date();
  const store = new SqliteEventStore({ filename: join(dataDir, 'events.sqlite'), now: () => now });
  for (const a of dataset.appends) {
    now = new Date(a.recordedAt);
    await store.append(a.streamId, a.events, { expectedVersion: a.expectedVersion, commandId: a.commandId });
  }
  await store.close();
  const seedSeconds = (Date.now() - t) / 1000;
  log(`dashboard: log seeded with ${dataset.stats.events} events of ${options.cases} cases in ${seedSeconds.toFixed(1)} s`);

  const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: '' };
  for (const k of ['DATABASE_URL', 'DATABASE_SCHEMA', 'KURRENTDB_URL', 'PROJECTIONS', 'MASTER_KEY', 'MASTER_KEY_FILE', 'CORS_ORIGINS', 'TRUST_PROXY']) delete env[k];
  Object.assign(env, { DATA_DIR: dataDir, EVENT_STORE: 'sqlite', LOG_LEVEL: 'warn' });

  t = Date.now();
  execFileSync(process.execPath, [join(root, 'dist', 'apps', 'cli', 'src', 'main.js'), 'rebuild'], { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
  const rebuildSeconds = (Date.now() - t) / 1000;
  log(`dashboard: read models rebuilt in ${rebuildSeconds.toFixed(1)} s`);

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const adminToken = `pct_${randomBytes(32).toString('base64url')}`;
  const apiLog = join(work, 'web-dashboard-api.log');
  const out = createWriteStream(apiLog);
  const child = spawn(process.execPath, [join(root, 'dist', 'apps', 'api', 'src', 'main.js')], {
    cwd: root,
    env: { ...env, PORT: String(port), BOOTSTRAP_ADMIN_TOKEN: adminToken, RATE_LIMIT_PER_MINUTE: '1000000000' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.pipe(out);
  child.stderr!.pipe(out);
  let browser: Browser | undefined;
  try {
    await waitForCaughtUp(base, () => child.exitCode, apiLog);
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
      events: dataset.stats.events,
      seedSeconds,
      rebuildSeconds,
      samples: options.samples,
      headlines: latency(headlines),
      allPanels: latency(allPanels),
      statsFetch: latency(statsFetch),
      firstLoadJsBytes,
      allJsBytes,
    };
  } catch (error) {
    const tail = readFileSync(apiLog, 'utf8').split('\n').slice(-15).join('\n');
    throw new Error(`${(error as Error).message}\nAPI log:\n${tail}`, { cause: error });
  } finally {
    await browser?.close();
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode !== null ? resolve(undefined) : child.once('exit', resolve)));
  }
}

async function waitForCaughtUp(base: string, exitCode: () => number | null, apiLog: string): Promise<void> {
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    if (exitCode() !== null) throw new Error(`the API exited with code ${exitCode()} while starting (${apiLog})`);
    if (Date.now() > deadline) throw new Error(`the API did not catch up within 10 minutes (${apiLog})`);
    try {
      const res = await fetch(`${base}/health`);
      const body = (await res.json()) as { info?: { projections?: { lag?: number } } };
      if (res.status === 200 && body.info?.projections?.lag === 0) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
