/**
 * `node dist/bench/render.js [name]`: writes `bench/results/<name>.md` again from `<name>.json`
 * (default `results`), e.g. after `bench/ANALYSIS.md` was edited, without measuring anything.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderMarkdown, type BenchResults } from './report.js';

const dir = join(resolve(dirname(fileURLToPath(import.meta.url)), '..', '..'), 'bench', 'results');
const name = process.argv[2] ?? 'results';
const results = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as BenchResults;
writeFileSync(join(dir, `${name}.md`), renderMarkdown(results));
console.log(`bench/results/${name}.md written from ${name}.json`);
