/**
 * HTTP: the built API (`dist/apps/api/src/main.js`) in a child process on SQLite (a temporary
 * DATA_DIR), its log seeded with generated case histories, loaded by `autocannon` from this process:
 *
 *  - `GET /health` (outside `/api`, no token): the trivial route, the framework's own ceiling here
 *    (it still asks the store for its head and the projector for its checkpoint);
 *  - `GET /api/stats` (today, knownAt now, scope confirmed) over the seeded cases;
 *  - `POST /api/cases/:id/transfers`, a command on an existing case (load the stream, decide,
 *    append, answer), round-robin over cases opened over HTTP before the run.
 *
 * Each route gets a short warm-up (none with --quick), then a timed run with the same connections, one after another
 * in the same run; requests/s counts the 2xx answers only, and every other answer is reported.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { SqliteEventStore } from '#event-store';
import { generateDataset } from './generator.js';

export interface HttpFigure {
  route: string;
  seconds: number;
  requests: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; mean: number; max: number };
}

export interface HttpResults {
  cases: number;
  events: number;
  commandCases: number;
  connections: number;
  seconds: number;
  warmUpSeconds: number;
  seedSeconds: number;
  startSeconds: number;
  health: HttpFigure;
  stats: HttpFigure;
  command: HttpFigure;
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export async function httpSideBySide(options: {
  root: string;
  work: string;
  cases: number;
  commandCases: number;
  seed: number;
  seconds: number;
  /** Seconds of load per route before its timed run (0: none). */
  warmUpSeconds: number;
  connections: number;
  log: (message: string) => void;
}): Promise<HttpResults> {
  const { root, work, log } = options;
  const dataDir = join(work, 'http');
  mkdirSync(dataDir, { recursive: true });

  // The log is written through the port before the API starts; the API's projector catches up.
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

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const token = `pct_${randomBytes(32).toString('base64url')}`;
  const auth = { authorization: `Bearer ${token}` };
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: '' };
  for (const k of ['DATABASE_URL', 'DATABASE_SCHEMA', 'KURRENTDB_URL', 'PROJECTIONS', 'MASTER_KEY', 'MASTER_KEY_FILE', 'CORS_ORIGINS', 'TRUST_PROXY']) delete env[k];
  Object.assign(env, {
    PORT: String(port),
    DATA_DIR: dataDir,
    EVENT_STORE: 'sqlite',
    BOOTSTRAP_ADMIN_TOKEN: token,
    // The limiter would answer 429 long before the server's own limit: this measures the server.
    RATE_LIMIT_PER_MINUTE: '1000000000',
    LOG_LEVEL: 'warn',
  });
  const apiLog = join(work, 'http-api.log');
  const out = createWriteStream(apiLog);
  const child = spawn(process.execPath, [join(root, 'dist', 'apps', 'api', 'src', 'main.js')], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.pipe(out);
  child.stderr!.pipe(out);
  const tail = () => {
    try {
      return readFileSync(apiLog, 'utf8').split('\n').slice(-15).join('\n');
    } catch {
      return '';
    }
  };
  try {
    // Up, and the read models caught up with the seeded log.
    t = Date.now();
    const deadline = Date.now() + 20 * 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the API exited with code ${child.exitCode} while starting:\n${tail()}`);
      if (Date.now() > deadline) throw new Error(`the API did not catch up within 20 minutes:\n${tail()}`);
      try {
        const res = await fetch(`${base}/health`);
        const body = (await res.json()) as { info?: { projections?: { lag?: number } } };
        if (res.status === 200 && body.info?.projections?.lag === 0) break;
      } catch {
        // not listening yet
      }
      await sleep(250);
    }
    const startSeconds = (Date.now() - t) / 1000;
    log(`API up and caught up in ${startSeconds.toFixed(1)} s (log seeded in ${seedSeconds.toFixed(1)} s: ${dataset.stats.events} events)`);

    const caseIds: string[] = [];
    for (let i = 0; i < options.commandCases; i++) {
      const res = await fetch(`${base}/api/cases`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({
          person: { fullName: `Persona ${i}`, nationalities: ['VE'], gender: i % 2 ? 'male' : 'female', minor: false, affiliation: 'civilian' },
          detention: { occurredOn: '2025-01-07' },
        }),
      });
      if (res.status !== 201) throw new Error(`POST /api/cases answered ${res.status}: ${await res.text()}`);
      caseIds.push(((await res.json()) as { caseId: string }).caseId);
    }

    const facilities = ['Rodeo I', 'Tocorón', 'El Helicoide', 'Yare III'];
    let next = 0;
    const routes = {
      health: { route: 'GET /health', request: { method: 'GET' as const, path: '/health' } },
      stats: { route: 'GET /api/stats', request: { method: 'GET' as const, path: '/api/stats', headers: auth } },
      command: {
        route: 'POST /api/cases/:id/transfers',
        request: {
          method: 'POST' as const,
          path: '/api/cases/x/transfers',
          headers: { ...auth, 'content-type': 'application/json' },
          setupRequest: (req: autocannon.Request) => {
            const n = next++;
            return {
              ...req,
              path: `/api/cases/${caseIds[n % caseIds.length]}/transfers`,
              body: JSON.stringify({ occurredOn: '2025-06-01', toFacility: facilities[Math.floor(n / caseIds.length) % facilities.length] }),
            };
          },
        },
      },
    };
    const run = async (which: keyof typeof routes, seconds: number): Promise<HttpFigure> => {
      const r = routes[which];
      const result = await autocannon({ url: base, connections: options.connections, duration: seconds, requests: [r.request] });
      return {
        route: r.route,
        seconds: result.duration,
        requests: result.requests.total,
        ok: result['2xx'],
        non2xx: result.non2xx,
        errors: result.errors,
        timeouts: result.timeouts,
        requestsPerSecond: result['2xx'] / result.duration,
        latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, mean: result.latency.mean, max: result.latency.max },
      };
    };
    const figures = {} as Record<keyof typeof routes, HttpFigure>;
    for (const which of ['health', 'stats', 'command'] as const) {
      log(`autocannon ${routes[which].route}: ${options.warmUpSeconds ? `${options.warmUpSeconds} s warm-up, then ` : ''}${options.seconds} s with ${options.connections} connections`);
      if (options.warmUpSeconds > 0) await run(which, options.warmUpSeconds);
      figures[which] = await run(which, options.seconds);
      const f = figures[which];
      if (f.ok === 0) throw new Error(`${f.route} answered no 2xx (${f.non2xx} other answers, ${f.errors} errors):\n${tail()}`);
    }
    return {
      cases: options.cases,
      events: dataset.stats.events,
      commandCases: caseIds.length,
      connections: options.connections,
      seconds: options.seconds,
      warmUpSeconds: options.warmUpSeconds,
      seedSeconds,
      startSeconds,
      ...figures,
    };
  } finally {
    await stop(child);
    out.end();
  }
}
