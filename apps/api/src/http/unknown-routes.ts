import type { INestApplication } from '@nestjs/common';

/**
 * Makes every unmatched request a 404 problem, outside the global prefix too.
 *
 * Nest mounts its not-found handler (which throws `NotFoundException` through the exception
 * filters) only under the global prefix and on the excluded paths, so `GET /nowhere` would get
 * Express's HTML page. The handler is mounted once more at the root, after everything else: it
 * only sees requests no route, middleware or prefixed handler answered.
 */
export function answerEveryUnknownRoute(app: INestApplication): void {
  const adapter = app.getHttpAdapter();
  const setNotFoundHandler = adapter.setNotFoundHandler?.bind(adapter);
  if (!setNotFoundHandler) throw new Error('The HTTP adapter cannot answer unknown routes');
  type Handler = Parameters<NonNullable<typeof adapter.setNotFoundHandler>>;
  adapter.setNotFoundHandler = (...args: Handler): unknown => {
    const result: unknown = setNotFoundHandler(...args);
    adapter.use(args[0] as (request: unknown, response: unknown, next: () => void) => void);
    return result;
  };
}
