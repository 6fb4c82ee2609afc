import { Injectable, Module } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { HealthIndicatorService } from '@nestjs/terminus';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { configureApp, NEST_APP_OPTIONS } from '../app.factory.js';
import { loadEnvironment } from '#config';
import { HealthIndicators } from './health-indicators.js';
import { HealthModule } from './health.module.js';

/** What a module adding an indicator looks like: one line in a constructor. */
let storeUp = true;
@Injectable()
class FakeStoreIndicator {
  constructor(indicators: HealthIndicators, health: HealthIndicatorService) {
    indicators.add(() => health.check('eventStore').attempt(() => (storeUp ? { ping: 'ok' } : Promise.reject(new Error('gone')))));
  }
}
@Module({ providers: [FakeStoreIndicator] })
class FakeStoreModule {}

describe('GET /health', () => {
  let app: NestExpressApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [HealthModule, FakeStoreModule] }).compile();
    app = configureApp(moduleRef.createNestApplication<NestExpressApplication>(NEST_APP_OPTIONS), loadEnvironment({}));
    app.useLogger(false);
    await app.init();
  });

  afterAll(async () => {
    await app.close();
  });

  it('is up with the uptime and every added indicator', async () => {
    storeUp = true;
    const response = await request(app.getHttpServer()).get('/health').expect(200).expect('Content-Type', /^application\/json/);
    expect(response.body).toEqual({
      status: 'ok',
      info: {
        uptime: { status: 'up', seconds: expect.any(Number) },
        eventStore: { status: 'up', ping: 'ok', responseTime: expect.any(Number) },
      },
      error: {},
      details: {
        uptime: { status: 'up', seconds: expect.any(Number) },
        eventStore: { status: 'up', ping: 'ok', responseTime: expect.any(Number) },
      },
    });
  });

  it('answers 503 with the terminus report when an indicator is down', async () => {
    storeUp = false;
    const response = await request(app.getHttpServer()).get('/health').expect(503).expect('Content-Type', /^application\/json/);
    expect(response.body).toMatchObject({
      status: 'error',
      info: { uptime: { status: 'up' } },
      error: { eventStore: { status: 'down', message: 'gone' } },
    });
  });
});
