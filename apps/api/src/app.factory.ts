import type { NestApplicationOptions, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { corsOrigins, type Environment, logLevelsFor, trustProxySetting } from '#config';
import { ProblemDetailsFilter } from './http/problem-details.filter.js';
import { answerEveryUnknownRoute } from './http/unknown-routes.js';
import { createValidationPipe } from './http/validation.js';
import { serveWebApp } from './web/web-app.js';

/**
 * Options every application is created with, tests included:
 * `moduleRef.createNestApplication<NestExpressApplication>(NEST_APP_OPTIONS)`. Nest's default body
 * parsers are off; {@link configureApp} installs the JSON one with the configured limit.
 */
export const NEST_APP_OPTIONS = { bodyParser: false } as const satisfies NestApplicationOptions;

export const API_PREFIX = 'api';
export const DOCS_PATH = 'docs';

/** Creates and configures the application (not listening yet). */
export async function createApp(rootModule: Type<unknown>, env: Environment): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(rootModule, {
    ...NEST_APP_OPTIONS,
    // Bootstrap logs wait for the log levels of the environment.
    bufferLogs: true,
    // A failure while building the modules is thrown to `main`, rather than aborting the process.
    abortOnError: false,
  });
  return configureApp(app, env);
}

/** Headers that a cross-origin caller may send and read, when `CORS_ORIGINS` allows it. */
const CORS_REQUEST_HEADERS = ['Authorization', 'Content-Type', 'If-Match', 'Idempotency-Key', 'X-Correlation-Id', 'X-Causation-Id'];
const CORS_RESPONSE_HEADERS = ['ETag', 'Retry-After', 'WWW-Authenticate', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset'];

/**
 * Security headers (helmet). The Content-Security-Policy fits the JSON API and the Swagger UI at
 * `/docs` (its scripts and styles are served from `/docs`; it has one inline style block and
 * data: images): nothing from elsewhere, no framing, no plugins. No `upgrade-insecure-requests`:
 * TLS is terminated in front, and a plain-HTTP development server must keep loading /docs.
 */
export const HELMET_OPTIONS = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      'default-src': ["'self'"],
      'script-src': ["'self'"],
      'style-src': ["'self'", "'unsafe-inline'"],
      'img-src': ["'self'", 'data:'],
      'font-src': ["'self'", 'data:'],
      'connect-src': ["'self'"],
      'object-src': ["'none'"],
      'base-uri': ["'none'"],
      'form-action': ["'self'"],
      'frame-ancestors': ["'none'"],
    },
  },
  frameguard: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
} as const satisfies Parameters<typeof helmet>[0];

/**
 * Everything about the HTTP layer that is not a route: security headers, CORS, body parsing, the
 * web app at `/`, the `/api` prefix, validation, problem details, shutdown hooks, idle-connection
 * timeouts and the OpenAPI documentation. Tests call it on the application of their testing module,
 * so they run with the configuration of production.
 */
export function configureApp(app: NestExpressApplication, env: Environment): NestExpressApplication {
  if (env.LOG_LEVEL) app.useLogger(logLevelsFor(env.LOG_LEVEL));
  app.disable('x-powered-by');
  // Behind a TLS proxy, the client address (rate limits, failed authentications) comes from X-Forwarded-For.
  if (env.TRUST_PROXY) app.set('trust proxy', trustProxySetting(env.TRUST_PROXY));
  app.use(helmet(HELMET_OPTIONS));
  // Answers carry personal data: no cache, shared or private, keeps them.
  app.use(`/${API_PREFIX}`, (_request: unknown, response: { setHeader(name: string, value: string): void }, next: () => void) => {
    response.setHeader('Cache-Control', 'no-store');
    next();
  });
  const origins = corsOrigins(env);
  if (origins.length > 0) {
    app.enableCors({ origin: origins, allowedHeaders: CORS_REQUEST_HEADERS, exposedHeaders: CORS_RESPONSE_HEADERS, credentials: false, maxAge: 600 });
  }
  app.useBodyParser('json', { limit: env.BODY_LIMIT });
  serveWebApp(app);
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health', DOCS_PATH, '/'] });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());
  answerEveryUnknownRoute(app);
  app.enableShutdownHooks();
  outwaitClientsOnIdleConnections(app);
  setUpDocumentation(app);
  return app;
}

/** How long an idle keep-alive connection stays open (Node's default is 5 s); announced to clients as `Keep-Alive: timeout=65`. */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/**
 * The server must be the side that waits longest on an idle connection. When it closes first, a
 * request the client sends on that connection at the same moment gets no answer, only a reset
 * (nodejs/node#52649): fetch keeps a connection for the server's announced timeout minus 1 s, so
 * with Node's 5 s default a client whose timers run late under load reuses a connection the server
 * is closing. 65 s also outlasts the 60 s idle timeout proxies commonly use in front. Headers must
 * arrive within a longer limit than that, as Node requires.
 */
function outwaitClientsOnIdleConnections(app: NestExpressApplication): void {
  const server = app.getHttpServer() as import('node:http').Server;
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
  // Shutdown (`app.close()` closes the server and waits for its connections) must not wait out the
  // timeout: once closing, a connection is closed as soon as it has answered what it was asked.
  let closing = false;
  server.on('request', (_request, response: import('node:http').ServerResponse) => {
    if (closing) response.shouldKeepAlive = false;
    response.on('finish', () => {
      if (closing) server.closeIdleConnections();
    });
  });
  const close = server.close.bind(server);
  server.close = ((callback?: (error?: Error) => void) => {
    closing = true;
    return close(callback);
  }) as typeof server.close;
}

/** Swagger UI at `/docs`, the OpenAPI document at `/docs-json`; built on first request, once every route is known. */
function setUpDocumentation(app: NestExpressApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Political-prisoner case tracker')
    .setDescription('Event-sourced record of political-prisoner cases. Errors are RFC 9457 problem details.')
    .setVersion('0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An access token (pct_…); see README, Security' })
    .addSecurityRequirements('bearer')
    .build();
  SwaggerModule.setup(DOCS_PATH, app, () => SwaggerModule.createDocument(app, config), {
    jsonDocumentUrl: `${DOCS_PATH}-json`,
  });
}
