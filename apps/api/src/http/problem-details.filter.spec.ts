import { Body, Controller, Get, HttpCode, Logger, Param, Post } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { Type } from 'class-transformer';
import { IsArray, IsEnum, IsNotEmpty, IsObject, IsOptional, IsString, Matches, ValidateNested } from 'class-validator';
import { jest } from '@jest/globals';
import request from 'supertest';
import { DomainError, DomainErrorCode } from '#domain';
import { EventStoreError, WrongExpectedVersionError } from '#event-store';
import { configureApp, NEST_APP_OPTIONS } from '../app.factory.js';
import { loadEnvironment } from '#config';
import { HealthModule } from '../health/health.module.js';
import { ApplicationError, ApplicationErrorCode } from '#application';
import { CommandContext } from './command-context.js';

enum SourceKind {
  Press = 'press',
  Family = 'family',
}

class SourceDto {
  @IsEnum(SourceKind)
  kind!: SourceKind;

  @IsNotEmpty()
  @IsString()
  name!: string;
}

class NationalityDto {
  @Matches(/^[A-Z]{2}$/)
  country!: string;
}

class ReportDto {
  @IsObject()
  @ValidateNested()
  @Type(() => SourceDto)
  source!: SourceDto;

  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'occurredOn must be a date as YYYY-MM-DD' })
  occurredOn!: string;

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => NationalityDto)
  nationalities?: NationalityDto[];
}

const SECRET = 'SQLITE_CORRUPT: SELECT personal FROM events WHERE name = "Ana"';

@Controller('test')
class TestController {
  @Post('reports')
  @HttpCode(201)
  create(@Body() body: ReportDto, @CommandContext() context: CommandContext): object {
    return { isDto: body instanceof ReportDto, sourceIsDto: body.source instanceof SourceDto, body, context };
  }

  @Get('domain/:code')
  domain(@Param('code') code: DomainErrorCode): never {
    throw new DomainError(code, `rejected with ${code}`, { status: 'released' });
  }

  @Get('future-with-field')
  futureWithField(): never {
    throw new DomainError(DomainErrorCode.OccurredInFuture, 'decidedOn is after today', { field: 'decidedOn', today: '2025-01-01' });
  }

  @Get('wrong-version')
  wrongVersion(): never {
    throw new WrongExpectedVersionError('case-42', 3, 5);
  }

  @Get('store-down')
  storeDown(): never {
    throw new EventStoreError('STORE_UNAVAILABLE', `database is locked: ${SECRET}`);
  }

  @Get('read-models-down')
  readModelsDown(): never {
    // What TypeORM throws when PostgreSQL shuts down under a query.
    throw Object.assign(new Error(`terminating connection due to administrator command ${SECRET}`), {
      name: 'QueryFailedError',
      driverError: Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
    });
  }

  @Get('invalid-stream')
  invalidStream(): never {
    throw new EventStoreError('INVALID_STREAM_ID', 'bad stream id', { streamId: 'case-' });
  }

  @Get('invalid-append')
  invalidAppend(): never {
    throw new EventStoreError('INVALID_APPEND', SECRET);
  }

  @Get('stale')
  stale(): never {
    throw new ApplicationError(ApplicationErrorCode.StaleVersion, 'the case is at version 4, not 3', {
      details: { expectedVersion: 3, actualVersion: 4 },
    });
  }

  @Get('boom')
  boom(): never {
    throw new Error(SECRET);
  }

  @Get('throws-string')
  throwsString(): never {
    throw SECRET;
  }
}

const PROBLEM_JSON = /^application\/problem\+json; charset=utf-8$/;
const problemType = (code: string) => `https://prisoner-case-tracker.invalid/problems/${code}`;

describe('HTTP infrastructure (configureApp)', () => {
  let app: NestExpressApplication;
  let logged: string[];

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [HealthModule], controllers: [TestController] }).compile();
    app = moduleRef.createNestApplication<NestExpressApplication>(NEST_APP_OPTIONS);
    configureApp(app, loadEnvironment({ BODY_LIMIT: '1kb' }));
    await app.init();
  });

  afterAll(async () => {
    await app.close();
  });

  beforeEach(() => {
    logged = [];
    jest.spyOn(Logger.prototype, 'error').mockImplementation((...args: unknown[]) => {
      logged.push(args.map(String).join(' '));
    });
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  const valid = { source: { kind: 'press', name: 'El Pitazo' }, occurredOn: '2024-07-29' };

  describe('validation', () => {
    it('accepts a valid body as DTO instances under /api, with the command context', async () => {
      const response = await request(app.getHttpServer())
        .post('/api/test/reports')
        .set('X-Actor', 'maria')
        .set('If-Match', 'W/"4"')
        .send({ ...valid, nationalities: [{ country: 'VE' }] })
        .expect(201);
      expect(response.body).toEqual({
        isDto: true,
        sourceIsDto: true,
        body: { ...valid, nationalities: [{ country: 'VE' }] },
        context: {
          // X-Actor is ignored: without authentication (none in this module) the actor is anonymous.
          actor: 'anonymous',
          correlationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
          causationId: null,
          idempotencyKey: null,
          expectedVersion: 4,
        },
      });
    });

    it('names every invalid field, nested and in arrays, with class-validator messages', async () => {
      const response = await request(app.getHttpServer())
        .post('/api/test/reports')
        .send({ source: { kind: 'rumour', name: '' }, occurredOn: '29/07/2024', nationalities: [{ country: 'VE' }, { country: 've' }] })
        .expect(400)
        .expect('Content-Type', PROBLEM_JSON);
      expect(response.body).toEqual({
        type: problemType('validation-failed'),
        title: 'Validation failed',
        status: 400,
        detail: 'The request has 4 invalid fields.',
        instance: '/api/test/reports',
        code: 'VALIDATION_FAILED',
        errors: [
          { field: 'nationalities.1.country', messages: ['country must match /^[A-Z]{2}$/ regular expression'] },
          { field: 'occurredOn', messages: ['occurredOn must be a date as YYYY-MM-DD'] },
          { field: 'source.kind', messages: ['kind must be one of the following values: press, family'] },
          { field: 'source.name', messages: ['name should not be empty'] },
        ],
      });
    });

    it('names missing fields', async () => {
      const response = await request(app.getHttpServer()).post('/api/test/reports').send({}).expect(400);
      expect(response.body.errors).toEqual([
        { field: 'occurredOn', messages: ['occurredOn must be a date as YYYY-MM-DD'] },
        { field: 'source', messages: ['source must be an object'] },
      ]);
    });

    it('rejects unknown fields, at any depth', async () => {
      const response = await request(app.getHttpServer())
        .post('/api/test/reports')
        .send({ ...valid, source: { ...valid.source, x: 1 }, x: true })
        .expect(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect(response.body.detail).toBe('The request has 2 invalid fields.');
      expect(response.body.errors).toEqual([
        { field: 'source.x', messages: ['property x should not exist'] },
        { field: 'x', messages: ['property x should not exist'] },
      ]);
    });
  });

  describe('headers', () => {
    it('rejects a malformed If-Match, naming it', async () => {
      const response = await request(app.getHttpServer())
        .post('/api/test/reports')
        .set('If-Match', 'latest')
        .send(valid)
        .expect(400)
        .expect('Content-Type', PROBLEM_JSON);
      expect(response.body).toEqual({
        type: problemType('invalid-header'),
        title: 'Invalid header',
        status: 400,
        detail: 'The If-Match header is invalid.',
        instance: '/api/test/reports',
        code: 'INVALID_HEADER',
        errors: [{ field: 'If-Match', messages: ['If-Match must be a version as an entity tag, such as "3" or W/"3"'] }],
      });
    });
  });

  describe('body parsing', () => {
    it('answers malformed JSON with 400 MALFORMED_JSON', async () => {
      const response = await request(app.getHttpServer())
        .post('/api/test/reports')
        .set('Content-Type', 'application/json')
        .send('{"source": {"kind": ')
        .expect(400)
        .expect('Content-Type', PROBLEM_JSON);
      expect(response.body).toEqual({
        type: problemType('malformed-json'),
        title: 'Malformed JSON',
        status: 400,
        detail: 'The request body is not valid JSON.',
        instance: '/api/test/reports',
        code: 'MALFORMED_JSON',
      });
    });

    it('answers a body over BODY_LIMIT with 413 PAYLOAD_TOO_LARGE', async () => {
      const response = await request(app.getHttpServer())
        .post('/api/test/reports')
        .send({ ...valid, padding: 'x'.repeat(2000) })
        .expect(413)
        .expect('Content-Type', PROBLEM_JSON);
      expect(response.body).toEqual({
        type: 'about:blank',
        title: 'Payload Too Large',
        status: 413,
        detail: 'The request body is larger than the limit of 1024 bytes.',
        instance: '/api/test/reports',
        code: 'PAYLOAD_TOO_LARGE',
      });
    });

    it('answers an unsupported charset with 415, not 500', async () => {
      const response = await request(app.getHttpServer())
        .post('/api/test/reports')
        .set('Content-Type', 'application/json; charset=klingon')
        .send(JSON.stringify(valid))
        .expect(415)
        .expect('Content-Type', PROBLEM_JSON);
      expect(response.body).toMatchObject({ type: 'about:blank', status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
    });
  });

  describe('domain and application errors', () => {
    it.each([
      [DomainErrorCode.CaseNotFound, 404],
      [DomainErrorCode.TransitionNotAllowed, 409],
      [DomainErrorCode.EventNotFound, 404],
    ])('answers DomainError %s with %i, its code and details', async (code, status) => {
      const response = await request(app.getHttpServer())
        .get(`/api/test/domain/${code}`)
        .expect(status)
        .expect('Content-Type', PROBLEM_JSON);
      expect(response.body).toEqual({
        type: problemType(code.toLowerCase().replace(/_/g, '-')),
        title: expect.any(String),
        status,
        detail: `rejected with ${code}`,
        instance: `/api/test/domain/${code}`,
        code,
        details: { status: 'released' },
      });
    });

    it('answers an invalid date from the domain with 400 naming occurredOn', async () => {
      const response = await request(app.getHttpServer()).get(`/api/test/domain/${DomainErrorCode.InvalidDate}`).expect(400);
      expect(response.body).toMatchObject({
        code: 'INVALID_DATE',
        title: 'Invalid date',
        errors: [{ field: 'occurredOn', messages: ['rejected with INVALID_DATE'] }],
        details: { status: 'released' },
      });
    });

    it('names the field a domain error gives in its details', async () => {
      const response = await request(app.getHttpServer()).get('/api/test/future-with-field').expect(400);
      expect(response.body).toMatchObject({
        code: 'OCCURRED_IN_FUTURE',
        errors: [{ field: 'decidedOn', messages: ['decidedOn is after today'] }],
        details: { today: '2025-01-01' },
      });
      expect(response.body.details).not.toHaveProperty('field');
    });

    it('answers an ApplicationError with its status and details', async () => {
      const response = await request(app.getHttpServer()).get('/api/test/stale').expect(412).expect('Content-Type', PROBLEM_JSON);
      expect(response.body).toEqual({
        type: problemType('stale-version'),
        title: 'Stale version',
        status: 412,
        detail: 'the case is at version 4, not 3',
        instance: '/api/test/stale',
        code: 'STALE_VERSION',
        details: { expectedVersion: 3, actualVersion: 4 },
      });
    });
  });

  describe('event store errors', () => {
    it('answers WrongExpectedVersionError with 409 CONCURRENT_MODIFICATION', async () => {
      const response = await request(app.getHttpServer()).get('/api/test/wrong-version').expect(409).expect('Content-Type', PROBLEM_JSON);
      expect(response.body).toEqual({
        type: problemType('concurrent-modification'),
        title: 'Concurrent modification',
        status: 409,
        detail: 'The resource was modified concurrently: it is at version 5, not 3. Reload it and retry.',
        instance: '/api/test/wrong-version',
        code: 'CONCURRENT_MODIFICATION',
        details: { expectedVersion: 3, actualVersion: 5 },
      });
    });

    it('answers an unavailable store with 503 and Retry-After, without its message', async () => {
      const response = await request(app.getHttpServer())
        .get('/api/test/store-down')
        .expect(503)
        .expect('Retry-After', '5')
        .expect('Content-Type', PROBLEM_JSON);
      expect(response.body).toMatchObject({ status: 503, code: 'STORE_UNAVAILABLE' });
      expect(response.text).not.toContain('locked');
      expect(response.text).not.toContain('SQLITE');
    });

    it('answers a database connection lost outside the event store (read models, key store) with 503 and Retry-After, without its message', async () => {
      const response = await request(app.getHttpServer())
        .get('/api/test/read-models-down')
        .expect(503)
        .expect('Retry-After', '5')
        .expect('Content-Type', PROBLEM_JSON);
      expect(response.body).toMatchObject({ status: 503, code: 'STORE_UNAVAILABLE' });
      expect(response.text).not.toContain(SECRET);
      expect(response.text).not.toContain('administrator');
    });

    it('answers an invalid stream id with 400', async () => {
      const response = await request(app.getHttpServer()).get('/api/test/invalid-stream').expect(400);
      expect(response.body).toMatchObject({ status: 400, code: 'INVALID_STREAM_ID' });
    });

    it('answers an invalid append with a 500 that leaks nothing', async () => {
      const response = await request(app.getHttpServer()).get('/api/test/invalid-append').expect(500);
      expect(response.body.code).toBe('INTERNAL_ERROR');
      expect(response.text).not.toContain('SQLITE');
    });
  });

  describe('unexpected errors', () => {
    it.each(['/api/test/boom', '/api/test/throws-string'])('answers %s with a generic 500, logging the error', async (path) => {
      const response = await request(app.getHttpServer()).get(path).expect(500).expect('Content-Type', PROBLEM_JSON);
      expect(response.body).toEqual({
        type: problemType('internal-error'),
        title: 'Internal error',
        status: 500,
        detail: 'An unexpected error occurred. It has been logged; please try again later.',
        instance: path,
        code: 'INTERNAL_ERROR',
      });
      for (const leak of ['SQLITE', 'SELECT', 'Ana', 'at ', '.ts']) expect(response.text).not.toContain(leak);
      expect(logged.join('\n')).toContain(SECRET);
    });
  });

  describe('routing', () => {
    it('answers an unknown route with a 404 problem', async () => {
      const response = await request(app.getHttpServer()).get('/api/nowhere?token=abc').expect(404).expect('Content-Type', PROBLEM_JSON);
      expect(response.body).toEqual({
        type: 'about:blank',
        title: 'Not Found',
        status: 404,
        detail: 'Cannot GET /api/nowhere?token=abc',
        instance: '/api/nowhere',
        code: 'NOT_FOUND',
      });
    });

    it.each([
      ['GET', `/test/domain/${DomainErrorCode.CaseNotFound}`],
      ['GET', '/nowhere'],
      ['POST', '/health'],
      ['DELETE', '/'],
    ])('answers %s %s (outside /api) with a 404 problem', async (method, path) => {
      const response = await request(app.getHttpServer())
        [method.toLowerCase() as 'get'](path)
        .expect(404)
        .expect('Content-Type', PROBLEM_JSON);
      expect(response.body).toMatchObject({ type: 'about:blank', code: 'NOT_FOUND', instance: path, detail: `Cannot ${method} ${path}` });
    });

    it('answers a body-parser error outside /api with a problem too', async () => {
      const response = await request(app.getHttpServer())
        .post('/elsewhere')
        .set('Content-Type', 'application/json')
        .send('{nope')
        .expect(400)
        .expect('Content-Type', PROBLEM_JSON);
      expect(response.body.code).toBe('MALFORMED_JSON');
    });

    it('serves /health at the root, not under /api', async () => {
      const response = await request(app.getHttpServer()).get('/health').expect(200);
      expect(response.body).toMatchObject({ status: 'ok', info: { uptime: { status: 'up', seconds: expect.any(Number) } } });
      await request(app.getHttpServer()).get('/api/health').expect(404);
    });

    it('serves the Swagger UI at /docs and the OpenAPI document at /docs-json', async () => {
      const html = await request(app.getHttpServer()).get('/docs').redirects(1).expect(200).expect('Content-Type', /text\/html/);
      expect(html.text).toContain('swagger');
      const json = await request(app.getHttpServer()).get('/docs-json').expect(200);
      expect(json.body.info.title).toBe('Political-prisoner case tracker');
      expect(Object.keys(json.body.paths)).toEqual(expect.arrayContaining(['/health', '/api/test/reports']));
    });
  });
});
