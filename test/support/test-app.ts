import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import pg from 'pg';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { Test } from '@nestjs/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Clock } from '#domain';
import { EVENT_STORE, type EventStore } from '#event-store';
import { Projector } from '#projections';
import { AppModule } from '../../apps/api/src/app.module.js';
import { configureApp, NEST_APP_OPTIONS } from '../../apps/api/src/app.factory.js';
import { CLOCK } from '../../apps/api/src/cases/cases.tokens.js';
import { Environment, loadEnvironment } from '../../apps/api/src/config/environment.js';

/** A clock the test moves by hand, so `recordedAt` and "today" are known. */
export class ManualClock implements Clock {
  private current: Date;
  constructor(iso: string) {
    this.current = new Date(iso);
  }
  now(): Date {
    return new Date(this.current);
  }
  set(iso: string): void {
    this.current = new Date(iso);
  }
}

export interface TestApp {
  app: NestExpressApplication;
  http: Server;
  clock: ManualClock;
  store: EventStore;
  dataDir: string;
  projector: Projector;
  /** Resolves once the read models reflect everything stored so far. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Which stores the end-to-end tests run on: the embedded SQLite default, or PostgreSQL (event store
 * and read models, in a schema of their own per app) when TEST_EVENT_STORE=postgres.
 */
export const TEST_ON_POSTGRES = process.env['TEST_EVENT_STORE'] === 'postgres';

export function postgresTestSettings(): Record<string, string> {
  const url = process.env['DATABASE_URL'];
  if (!url) throw new Error('TEST_EVENT_STORE=postgres needs DATABASE_URL');
  return { EVENT_STORE: 'postgres', DATABASE_URL: url, DATABASE_SCHEMA: `t_${randomBytes(6).toString('hex')}` };
}

export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** The real application (real stores, real pipes and filters) with a manual clock. */
export async function startTestApp(options: { now: string; env?: Record<string, string> }): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pct-e2e-'));
  const clock = new ManualClock(options.now);
  const env = loadEnvironment({ DATA_DIR: dataDir, LOG_LEVEL: 'error', ...(TEST_ON_POSTGRES ? postgresTestSettings() : {}), ...options.env });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(Environment)
    .useValue(env)
    .overrideProvider(CLOCK)
    .useValue(clock)
    .compile();
  const app = configureApp(moduleRef.createNestApplication<NestExpressApplication>(NEST_APP_OPTIONS), env);
  await app.init();
  return {
    app,
    http: app.getHttpServer() as Server,
    clock,
    store: app.get<EventStore>(EVENT_STORE),
    dataDir,
    projector: app.get(Projector),
    async settle() {
      const store = app.get<EventStore>(EVENT_STORE);
      const reached = await app.get(Projector).waitFor(await store.headPosition());
      if (!reached) throw new Error('the projector did not catch up in time');
    },
    async close() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
      if (env.DATABASE_URL && env.DATABASE_SCHEMA !== 'public') await dropSchema(env.DATABASE_URL, env.DATABASE_SCHEMA);
    },
  };
}
