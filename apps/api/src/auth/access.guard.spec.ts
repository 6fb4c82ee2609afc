import { Controller, Get, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { ThrottlerModule } from '@nestjs/throttler';
import request from 'supertest';
import { AccessTokens, type AccessTokenRecord, type AccessTokenStore } from '#application';
import { SqliteEventStore } from '#event-store';
import { configureApp, NEST_APP_OPTIONS } from '../app.factory.js';
import { loadEnvironment } from '#config';
import { AccessGuard } from './access.guard.js';
import { FailedAuthentications } from './failed-authentications.js';
import { Public, Roles } from './roles.decorator.js';
import { TokenThrottlerGuard } from './token-throttler.guard.js';

class MemoryTokenStore implements AccessTokenStore {
  private readonly rows: AccessTokenRecord[] = [];
  async insert(record: AccessTokenRecord) {
    this.rows.push(record);
  }
  async remove() {}
  async findByHash(tokenHash: string) {
    return this.rows.find((r) => r.tokenHash === tokenHash) ?? null;
  }
  async findById(id: string) {
    return this.rows.find((r) => r.id === id) ?? null;
  }
  async list() {
    return this.rows;
  }
  async markRevoked() {
    return false;
  }
  async hasActiveAdmin() {
    return false;
  }
}

@Controller('undeclared')
class UndeclaredController {
  @Get()
  get() {
    return { reached: true };
  }
}

@Roles('viewer')
@Controller('declared')
class DeclaredController {
  @Get()
  get() {
    return { reached: true };
  }

  // A method's declaration wins over its class's.
  @Get('admins')
  @Roles('admin')
  admins() {
    return { reached: true };
  }
}

@Public()
@Controller('open')
class OpenController {
  @Get()
  get() {
    return { reached: true };
  }
}

describe('AccessGuard', () => {
  let app: NestExpressApplication;
  let store: SqliteEventStore;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    store = new SqliteEventStore({ filename: ':memory:' });
    let n = 0;
    const accessTokens = new AccessTokens(new MemoryTokenStore(), store, { now: () => new Date() }, { next: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}` });
    for (const role of ['admin', 'viewer'] as const) tokens[role] = (await accessTokens.issue({ role, name: role }, { actor: 'test', correlationId: 'c', causationId: null })).token;

    @Module({
      imports: [ThrottlerModule.forRoot({ throttlers: [{ ttl: 60_000, limit: 1000 }] })],
      controllers: [UndeclaredController, DeclaredController, OpenController],
      providers: [
        { provide: AccessTokens, useValue: accessTokens },
        { provide: FailedAuthentications, useValue: new FailedAuthentications(1000) },
        TokenThrottlerGuard,
        { provide: APP_GUARD, useClass: AccessGuard },
      ],
    })
    class GuardedModule {}

    const moduleRef = await Test.createTestingModule({ imports: [GuardedModule] }).compile();
    app = configureApp(moduleRef.createNestApplication<NestExpressApplication>(NEST_APP_OPTIONS), loadEnvironment({ LOG_LEVEL: 'fatal' }));
    await app.init();
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  const get = (path: string, token?: string) => {
    const test = request(app.getHttpServer()).get(path);
    return token ? test.set('Authorization', `Bearer ${token}`) : test;
  };

  it('closes a route that declares no roles to every caller, admin included', async () => {
    await get('/api/undeclared').expect(401);
    const denied = await get('/api/undeclared', tokens['admin']).expect(403);
    expect(denied.body).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    await get('/api/undeclared', tokens['viewer']).expect(403);
  });

  it('lets the declared roles through, a method declaration overriding its class', async () => {
    await get('/api/declared', tokens['viewer']).expect(200, { reached: true });
    await get('/api/declared', tokens['admin']).expect(403);
    await get('/api/declared/admins', tokens['admin']).expect(200);
    await get('/api/declared/admins', tokens['viewer']).expect(403);
  });

  it('opens a @Public() route to callers without a token', async () => {
    await get('/api/open').expect(200, { reached: true });
  });

  it('answers 401 problems with a Bearer challenge, saying invalid_token only when a token was presented', async () => {
    const missing = await get('/api/declared').expect(401).expect('Content-Type', /application\/problem\+json/);
    expect(missing.body.code).toBe('UNAUTHENTICATED');
    expect(missing.headers['www-authenticate']).toBe('Bearer realm="prisoner-case-tracker"');
    const invalid = await get('/api/declared', 'pct_' + 'x'.repeat(43)).expect(401);
    expect(invalid.headers['www-authenticate']).toBe('Bearer realm="prisoner-case-tracker", error="invalid_token"');
    await request(app.getHttpServer()).get('/api/declared').set('Authorization', `Basic ${tokens['viewer']}`).expect(401);
    await request(app.getHttpServer()).get('/api/declared').set('Authorization', `Bearer ${tokens['viewer']} extra`).expect(401);
    await request(app.getHttpServer()).get('/api/declared').set('Authorization', `bearer ${tokens['viewer']}`).expect(200);
  });
});
