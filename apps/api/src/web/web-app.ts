import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';

/** Paths the web app never answers: the API, its documentation and the health check keep their own 404s. */
const SERVER_PATHS = /^\/(api|docs|docs-json|health)(\/|$)/;

/**
 * Where the built web app is (`npm run build` writes it to `dist/apps/web`): beside the running
 * `dist/apps/api`, or under the working directory when the API runs from its sources (tests).
 */
export function findWebAppRoot(candidates: string[] = defaultCandidates()): string | undefined {
  return candidates.find((dir) => existsSync(join(dir, 'index.html')));
}

function defaultCandidates(): string[] {
  const here = fileURLToPath(new URL('.', import.meta.url));
  return [resolve(here, '../../../web'), resolve(process.cwd(), 'dist/apps/web')];
}

/**
 * Serves the web app from the API's own origin: its files under `/assets`, and `index.html` for any
 * other page a browser asks for (`/cases/…`: the app routes on the client). Nothing comes from
 * elsewhere, so it works on an office network with no internet. Files are revalidated on each load
 * (`no-cache` with ETags): a new release is never hidden behind a stale script.
 */
export function serveWebApp(app: NestExpressApplication, root: string | undefined = findWebAppRoot()): void {
  if (root === undefined) {
    new Logger('WebApp').warn('The web app is not built (no dist/apps/web/index.html): run `npm run build`. The API works without it.');
    return;
  }
  app.useStaticAssets(join(root, 'assets'), {
    prefix: '/assets/',
    index: false,
    fallthrough: true,
    setHeaders: (response) => response.setHeader('Cache-Control', 'no-cache'),
  });
  const indexHtml = readFileSync(join(root, 'index.html'));
  app.use((request: Request, response: Response, next: NextFunction) => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || SERVER_PATHS.test(request.path) || request.path.startsWith('/assets/')) return next();
    if (!request.accepts('html') || request.accepts(['json', 'html']) === 'json') return next();
    response.setHeader('Cache-Control', 'no-cache');
    response.type('html').send(indexHtml);
  });
}
