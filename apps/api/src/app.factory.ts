import type { NestApplicationOptions, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { type Environment, logLevelsFor } from './config/environment.js';
import { ProblemDetailsFilter } from './http/problem-details.filter.js';
import { answerEveryUnknownRoute } from './http/unknown-routes.js';
import { createValidationPipe } from './http/validation.js';

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

/**
 * Everything about the HTTP layer that is not a route: body parsing, the `/api` prefix,
 * validation, problem details, shutdown hooks and the OpenAPI documentation. Tests call it on the
 * application of their testing module, so they run with the configuration of production.
 */
export function configureApp(app: NestExpressApplication, env: Environment): NestExpressApplication {
  if (env.LOG_LEVEL) app.useLogger(logLevelsFor(env.LOG_LEVEL));
  app.disable('x-powered-by');
  app.useBodyParser('json', { limit: env.BODY_LIMIT });
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health', DOCS_PATH, '/'] });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());
  answerEveryUnknownRoute(app);
  app.enableShutdownHooks();
  setUpDocumentation(app);
  return app;
}

/** Swagger UI at `/docs`, the OpenAPI document at `/docs-json`; built on first request, once every route is known. */
function setUpDocumentation(app: NestExpressApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Political-prisoner case tracker')
    .setDescription('Event-sourced record of political-prisoner cases. Errors are RFC 9457 problem details.')
    .setVersion('0.1.0')
    .build();
  SwaggerModule.setup(DOCS_PATH, app, () => SwaggerModule.createDocument(app, config), {
    jsonDocumentUrl: `${DOCS_PATH}-json`,
  });
}
