// Bundles the browser app into dist/apps/web (static files the API serves at /), and fails when app.js is over budget.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** The JavaScript the app ships, minified, not gzipped: stated in the README. */
export const JS_BUDGET_BYTES = 120 * 1024;

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const outDir = join(root, 'dist', 'apps', 'web');
const assets = join(outDir, 'assets');
mkdirSync(assets, { recursive: true });

await build({
  entryPoints: { app: join(root, 'apps/web/src/main.tsx') },
  outdir: assets,
  bundle: true,
  minify: true,
  format: 'iife',
  target: 'es2020',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  legalComments: 'none',
  logLevel: 'warning',
  tsconfig: join(root, 'apps/web/tsconfig.json'),
});

const js = readFileSync(join(assets, 'app.js'));
const css = readFileSync(join(assets, 'app.css'));
// The asset URLs carry a digest of their content, so a browser never runs a stale script against a new index.html.
const version = createHash('sha256').update(js).update(css).digest('hex').slice(0, 12);
const html = readFileSync(join(root, 'apps/web/public/index.html'), 'utf8').replaceAll('__VERSION__', version);
writeFileSync(join(outDir, 'index.html'), html);

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(`web: app.js ${kb(js.length)} (budget ${kb(JS_BUDGET_BYTES)}), app.css ${kb(css.length)} -> ${outDir}`);
if (js.length > JS_BUDGET_BYTES) {
  console.error(`web: app.js is ${js.length} bytes, over the ${JS_BUDGET_BYTES}-byte budget`);
  process.exit(1);
}
