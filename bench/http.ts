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
import { join } from 'node:path';
import autocannon from 'autocannon';
import { seedSqliteLog, startApi } from './api-process.js';

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

  // The log is written through the port before the API starts; the API's projector catches up.
  const seeded = await seedSqliteLog(dataDir, options.cases, options.seed);
  const api = await startApi({ root, dataDir, logFile: join(work, 'http-api.log'), timeoutMinutes: 20 });
  const { base, tail } = api;
  const auth = { authorization: `Bearer ${api.adminToken}` };
  try {
    log(`API up and caught up in ${api.startSeconds.toFixed(1)} s (log seeded in ${seeded.seconds.toFixed(1)} s: ${seeded.events} events)`);

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
      events: seeded.events,
      commandCases: caseIds.length,
      connections: options.connections,
      seconds: options.seconds,
      warmUpSeconds: options.warmUpSeconds,
      seedSeconds: seeded.seconds,
      startSeconds: api.startSeconds,
      ...figures,
    };
  } finally {
    await api.stop();
  }
}
