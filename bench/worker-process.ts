import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** The repository root: dist/bench/worker-process.js -> ../.. */
const root = resolve(here, '..', '..');

/**
 * Runs `worker.js <mode> ...` in a process of its own, so that its time and memory are not the
 * caller's, and returns the JSON it prints on its last line.
 */
export function runWorker<T>(mode: string, args: string[], nodeFlags: string[] = []): Promise<T> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [...nodeFlags, join(here, 'worker.js'), mode, ...args], { stdio: ['ignore', 'pipe', 'inherit'], cwd: root });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`worker ${mode} exited with code ${code}`));
      const line = out.trim().split('\n').pop() ?? '';
      try {
        resolvePromise(JSON.parse(line) as T);
      } catch {
        reject(new Error(`worker ${mode} printed no result: ${out.slice(-500)}`));
      }
    });
  });
}
