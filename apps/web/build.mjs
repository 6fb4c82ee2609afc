// Bundles the browser app into dist/apps/web (static files the API serves at /), and fails when app.js is over budget.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * Budgets (minified, not gzipped; stated in the README): the JavaScript a visitor loads before the first page
 * renders (app.js and the chunks it imports statically: the shell and the dashboard), and all the JavaScript
 * together (with the caseworker and auditor screens, fetched when first opened).
 */
export const JS_BUDGET_BYTES = 120 * 1024;
export const TOTAL_JS_BUDGET_BYTES = 250 * 1024;

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const outDir = join(root, 'dist', 'apps', 'web');
const assets = join(outDir, 'assets');
// Old chunks would linger under new names otherwise.
rmSync(assets, { recursive: true, force: true });
mkdirSync(assets, { recursive: true });

const result = await build({
  metafile: true,
  entryPoints: { app: join(root, 'apps/web/src/main.tsx') },
  outdir: assets,
  bundle: true,
  minify: true,
  format: 'esm',
  splitting: true,
  chunkNames: 'chunk-[hash]',
  target: 'es2020',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  legalComments: 'none',
  logLevel: 'warning',
  tsconfig: join(root, 'apps/web/tsconfig.json'),
});

// CSS imported by lazily loaded modules lands in chunk-*.css, which nothing would load: fold it into app.css.
const cssChunks = readdirSync(assets).filter((f) => f.startsWith('chunk-') && f.endsWith('.css'));
const css = Buffer.concat([readFileSync(join(assets, 'app.css')), ...cssChunks.map((f) => readFileSync(join(assets, f)))]);
writeFileSync(join(assets, 'app.css'), css);
for (const f of cssChunks) rmSync(join(assets, f));

// What the entry needs before it runs: app.js and, transitively, its static imports.
const outputs = result.metafile.outputs;
const key = (file) => Object.keys(outputs).find((k) => k.endsWith(`/${file}`));
const initial = new Set();
const visit = (k) => {
  if (!k || initial.has(k)) return;
  initial.add(k);
  for (const i of outputs[k].imports) if (i.kind === 'import-statement') visit(i.path);
};
visit(key('app.js'));
const size = (k) => readFileSync(join(root, k)).length;
const jsFiles = Object.keys(outputs).filter((k) => k.endsWith('.js'));
const initialJs = [...initial].reduce((n, k) => n + size(k), 0);
const totalJs = jsFiles.reduce((n, k) => n + size(k), 0);
const js = readFileSync(join(assets, 'app.js'));
// The entry URLs carry a digest of their content (chunks are named by theirs), so a browser never runs a stale script.
const version = createHash('sha256').update(js).update(css).digest('hex').slice(0, 12);
// The chunks app.js imports are fetched alongside it rather than after it has been parsed.
const preload = [...initial]
  .filter((k) => !k.endsWith('/app.js'))
  .map((k) => `<link rel="modulepreload" href="/assets/${k.split('/').pop()}">`)
  .join('\n    ');
const html = readFileSync(join(root, 'apps/web/public/index.html'), 'utf8').replaceAll('__VERSION__', version).replace('<!--PRELOAD-->', preload);
writeFileSync(join(outDir, 'index.html'), html);

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(
  `web: JavaScript loaded first (app.js + ${initial.size - 1} chunks) ${kb(initialJs)} (budget ${kb(JS_BUDGET_BYTES)}); ` +
    `all JavaScript ${kb(totalJs)} in ${jsFiles.length} files (budget ${kb(TOTAL_JS_BUDGET_BYTES)}); app.css ${kb(css.length)} -> ${outDir}`,
);
if (initialJs > JS_BUDGET_BYTES || totalJs > TOTAL_JS_BUDGET_BYTES) {
  console.error(`web: over budget: first load ${initialJs} bytes (max ${JS_BUDGET_BYTES}), all JavaScript ${totalJs} bytes (max ${TOTAL_JS_BUDGET_BYTES})`);
  process.exit(1);
}
