import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Controller, Get, Module } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { generateAccessToken } from '#application';
import { createApp } from './app.factory.js';
import { AppModule } from './app.module.js';
import { Environment, loadEnvironment } from '#config';

@Controller()
class RootController {
  @Get()
  root(): object {
    return { root: true };
  }

  @Get('ping')
  ping(): object {
    return { pong: true };
  }
}

@Module({ controllers: [RootController] })
class TinyModule {}

describe('createApp', () => {
  let app: NestExpressApplication | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('configures the application it creates: prefix (but not for /), body limit, problem details', async () => {
    app = await createApp(TinyModule, loadEnvironment({ BODY_LIMIT: '50b', LOG_LEVEL: 'fatal' }));
    await app.init();
    const server = app.getHttpServer();
    await request(server).get('/').expect(200, { root: true });
    await request(server).get('/api/ping').expect(200, { pong: true });
    await request(server).get('/ping').expect(404).expect('Content-Type', /problem\+json/);
    await request(server)
      .post('/api/ping')
      .send({ padding: 'x'.repeat(100) })
      .expect(413)
      .expect('Content-Type', /problem\+json/);
    await request(server).get('/docs-json').expect(200);
  });

  it('keeps idle connections open longer than its clients do (65 s, announced in Keep-Alive), so none reuses one it is closing', async () => {
    app = await createApp(TinyModule, loadEnvironment({ LOG_LEVEL: 'fatal' }));
    await app.listen(0, '127.0.0.1');
    const answer = await fetch(`${await app.getUrl()}/api/ping`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('keep-alive')).toBe('timeout=65');
    expect(app.getHttpServer().headersTimeout).toBeGreaterThan(app.getHttpServer().keepAliveTimeout);
  });

  it('builds AppModule, which provides the Environment and /health, and closes every other route to callers without a token', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pct-factory-'));
    const admin = generateAccessToken();
    // The application reads its Environment from the process (ConfigModule), as in production.
    const saved = { ...process.env };
    Object.assign(process.env, { LOG_LEVEL: 'fatal', DATA_DIR: dataDir, BOOTSTRAP_ADMIN_TOKEN: admin });
    try {
      app = await createApp(AppModule, loadEnvironment());
      await app.init();
      expect(app.get(Environment).DATA_DIR).toBe(dataDir);
      expect(app.get(Environment)).toBeInstanceOf(Environment);
      await request(app.getHttpServer()).get('/health').expect(200);
      await request(app.getHttpServer()).get('/api/stats').expect(401);
      await request(app.getHttpServer()).get('/api/stats').set('Authorization', `Bearer ${admin}`).expect(200);
    } finally {
      await app?.close();
      app = undefined;
      process.env = saved;
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
