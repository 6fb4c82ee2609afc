import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');
export const DIST = {
  api: join(ROOT, 'dist/apps/api/src/main.js'),
  projector: join(ROOT, 'dist/apps/projector/src/main.js'),
  cli: join(ROOT, 'dist/apps/cli/src/main.js'),
};

export interface RunningProcess {
  child: ChildProcess;
  output: string[];
  /** Resolves when a line of output matches. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts a built app as its own process, collecting its output lines. */
export function startProcess(script: string, env: Record<string, string | undefined>, args: string[] = []): RunningProcess {
  const child = spawn(process.execPath, [script, ...args], { env: { ...process.env, NODE_OPTIONS: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const listeners = new Set<() => void>();
  const collect = (chunk: Buffer) => {
    output.push(...chunk.toString('utf8').split('\n').filter((l) => l !== ''));
    for (const l of listeners) l();
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    output,
    waitFor(pattern, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const line = output.find((l) => pattern.test(l));
          if (line) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve(line);
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`no output matching ${pattern} within ${timeoutMs} ms; output:\n${output.join('\n')}`));
        }, timeoutMs);
        listeners.add(check);
        check();
      });
    },
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

export async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 30_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * A random port below the range the system hands out for outgoing connections (and for `listen(0)`):
 * there only another listener can hold it, which `startApiProcess` sees as EADDRINUSE. A port from
 * `listen(0)` comes from the range shared with outgoing connections (the tests' own, the API's to
 * PostgreSQL).
 */
export function listeningPort(): number {
  let firstEphemeral = 32768;
  try {
    firstEphemeral = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || firstEphemeral;
  } catch {
    // Not Linux: keep the usual start of the range.
  }
  const low = 10_000;
  return low + Math.floor(Math.random() * Math.max(1, firstEphemeral - low));
}

export interface RunningApiProcess {
  process: RunningProcess;
  port: number;
  /** `http://127.0.0.1:<port>` */
  origin: string;
}

/**
 * Starts the built API on a {@link listeningPort} and resolves once it logs that it listens. If
 * another process listens there, it draws again.
 */
export async function startApiProcess(env: Record<string, string | undefined>, timeoutMs = 60_000): Promise<RunningApiProcess> {
  for (let attempt = 1; ; attempt++) {
    const port = listeningPort();
    // It must log at `log` level: the line that says it listens is how we know it is up.
    const api = startProcess(DIST.api, { ...env, LOG_LEVEL: 'log', PORT: String(port) });
    try {
      await Promise.race([
        api.waitFor(/Listening on/, timeoutMs),
        new Promise((_, reject) => api.child.once('exit', () => reject(new Error(`the API exited:\n${api.output.join('\n')}`)))),
      ]);
      return { process: api, port, origin: `http://127.0.0.1:${port}` };
    } catch (error) {
      await api.kill();
      if (attempt < 5 && api.output.some((l) => /EADDRINUSE/.test(l))) continue;
      throw error;
    }
  }
}
