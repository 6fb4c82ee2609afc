// Cross-process tests run the built apps (dist/), as an operator would: build once before any test (the web app too).
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export default function globalSetup() {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  // The API serves the web app from dist/apps/web.
  execFileSync(process.execPath, [join(root, 'apps/web/build.mjs')], { cwd: root, stdio: 'inherit' });
}
