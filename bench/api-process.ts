/**
 * The built API (`dist/apps/api/src/main.js`) as a child process on SQLite, for the figures that
 * measure it from outside (HTTP, the dashboard in a browser): its log seeded through the store port
 * with generated case histories, its environment cleaned of the caller's settings, and a wait until
 * its read models have caught up with the seeded log.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { SqliteEventStore } from '#event-store';
import { generateDataset } from './generator.js';

/** Writes `cases` generated case histories into `dataDir/events.sqlite`, each command at its recording instant. */
export async function seedSqliteLog(dataDir: string, cases: number, seed: number): Promise<{ events: number; seconds: number }> {
  mkdirSync(dataDir, { recursive: true });
  const started = Date.now();
  const dataset = generateDataset({ cases, seed });
  let now = new Date();
  const store = new SqliteEventStore({ filename: join(dataDir, 'events.sqlite'), now: () => now });
  for (const a of dataset.appends) {
    now = new Date(a.recordedAt);
    await store.append(a.streamId, a.events, { expectedVersion: a.expectedVersion, commandId: a.commandId });
  }
  await store.close();
  return { events: dataset.stats.events, seconds: (Date.now() - started) / 1000 };
}

/** The environment of an embedded-store process on `dataDir`: none of the caller's store, key or network settings. */
export function embeddedEnvironment(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: '' };
  for (const k of ['DATABASE_URL', 'DATABASE_SCHEMA', 'KURRENTDB_URL', 'PROJECTIONS', 'MASTER_KEY', 'MASTER_KEY_FILE', 'CORS_ORIGINS', 'TRUST_PROXY']) delete env[k];
  return Object.assign(env, { DATA_DIR: dataDir, EVENT_STORE: 'sqlite', LOG_LEVEL: 'warn', ...extra });
}

export interface RunningApi {
  base: string;
  /** The bootstrap admin's token. */
  adminToken: string;
  child: ChildProcess;
  /** The last lines the API wrote, for error messages. */
  tail(): string;
  stop(): Promise<void>;
}

/** Starts the API on `dataDir` and resolves once `/health` reports the read models caught up. */
export async function startApi(options: { root: string; dataDir: string; logFile: string; timeoutMinutes: number }): Promise<RunningApi & { startSeconds: number }> {
  const port = await freePort();
  const adminToken = `pct_${randomBytes(32).toString('base64url')}`;
  // The limiter would answer 429 long before the server's own limit: these figures measure the server.
  const env = embeddedEnvironment(options.dataDir, { PORT: String(port), BOOTSTRAP_ADMIN_TOKEN: adminToken, RATE_LIMIT_PER_MINUTE: '1000000000' });
  const out = createWriteStream(options.logFile);
  const child = spawn(process.execPath, [join(options.root, 'dist', 'apps', 'api', 'src', 'main.js')], { cwd: options.root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.pipe(out);
  child.stderr!.pipe(out);
  const tail = () => {
    try {
      return readFileSync(options.logFile, 'utf8').split('\n').slice(-15).join('\n');
    } catch {
      return '';
    }
  };
  const api: RunningApi = {
    base: `http://127.0.0.1:${port}`,
    adminToken,
    child,
    tail,
    stop: async () => {
      await stopProcess(child);
      out.end();
    },
  };
  const started = Date.now();
  try {
    const deadline = started + options.timeoutMinutes * 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the API exited with code ${child.exitCode} while starting:\n${tail()}`);
      if (Date.now() > deadline) throw new Error(`the API did not catch up within ${options.timeoutMinutes} minutes:\n${tail()}`);
      try {
        const res = await fetch(`${api.base}/health`);
        const body = (await res.json()) as { info?: { projections?: { lag?: number } } };
        if (res.status === 200 && body.info?.projections?.lag === 0) break;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } catch (error) {
    await api.stop();
    throw error;
  }
  return { ...api, startSeconds: (Date.now() - started) / 1000 };
}

function freePort(): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function stopProcess(child: ChildProcess): Promise<void> {
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
