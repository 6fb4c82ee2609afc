import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import pg from 'pg';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { Test } from '@nestjs/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import supertest from 'supertest';
import { AccessTokens, actorOfToken, BOOTSTRAP_ADMIN_NAME, generateAccessToken, type Role } from '#application';
import type { Clock } from '#domain';
import { EVENT_STORE, type EventStore } from '#event-store';
import { Projector } from '#projections';
import { AppModule } from '../../apps/api/src/app.module.js';
import { configureApp, NEST_APP_OPTIONS } from '../../apps/api/src/app.factory.js';
import { CLOCK } from '../../apps/api/src/cases/cases.tokens.js';
import { Environment, loadEnvironment } from '#config';

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
  /** The raw server: requests on it carry no token (see {@link request} for authenticated ones). */
  http: Server;
  /**
   * A token of each role: `admin` is the BOOTSTRAP_ADMIN_TOKEN the app started with, the others
   * were issued through the token service at start (names `test-caseworker`, `test-auditor`...).
   */
  tokens: Record<Role, string>;
  /** Supertest calls as a role, as a given token, or with no token (`'anonymous'`). */
  as(who: Who): Client;
  /** Issues a token through the service (as the bootstrap admin): what it records is signed `token:<name>`. */
  issueToken(role: Role, name: string, expiresAt?: string): Promise<string>;
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
  return { EVENT_STORE: 'postgres', DATABASE_URL: url, DATABASE_SCHEMA: `t_${randomBytes(6).toString('hex')}`, MASTER_KEY: randomBytes(32).toString('base64') };
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

/** When the test app starts and its tokens are issued: before any instant a test records at. */
export const SETUP_INSTANT = '2000-01-01T00:00:00.000Z';

/** Who a test request is made as: a role (its token in `t.tokens`), a given token, or nobody. */
export type Who = Role | { token: string } | 'anonymous';

/** The supertest methods, each request carrying the token of the chosen caller. */
export type Client = Record<'get' | 'post' | 'put' | 'patch' | 'delete' | 'head' | 'options', (url: string) => supertest.Test>;

/**
 * Supertest on a test app, authenticated as a caseworker unless told otherwise:
 * `request(t).post('/api/cases')`, `request(t, 'auditor').get('/api/audit/log')`,
 * `request(t, { token }).get(...)`, `request(t, 'anonymous').get('/health')`.
 */
export function request(t: Pick<TestApp, 'http' | 'tokens'>, who: Who = 'caseworker'): Client {
  const token = who === 'anonymous' ? null : typeof who === 'string' ? t.tokens[who] : who.token;
  const agent = supertest(t.http);
  const as = (test: supertest.Test) => (token === null ? test : test.set('Authorization', `Bearer ${token}`));
  return {
    get: (url) => as(agent.get(url)),
    post: (url) => as(agent.post(url)),
    put: (url) => as(agent.put(url)),
    patch: (url) => as(agent.patch(url)),
    delete: (url) => as(agent.delete(url)),
    head: (url) => as(agent.head(url)),
    options: (url) => as(agent.options(url)),
  };
}

/**
 * The real application (real stores, real pipes, guards and filters) with a manual clock. It starts
 * with a fresh BOOTSTRAP_ADMIN_TOKEN (`adminToken: null` starts without one: the server then
 * prints the admin token it creates, and `t.tokens.admin` is empty).
 */
export async function startTestApp(options: { now: string; env?: Record<string, string>; adminToken?: string | null }): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pct-e2e-'));
  // The test's tokens are issued (and recorded in the log) before the scenario's time begins, so
  // that a test may set the clock back to any instant before `now` and record events from there.
  const clock = new ManualClock(SETUP_INSTANT);
  const adminToken = options.adminToken === undefined ? generateAccessToken() : options.adminToken;
  const env = loadEnvironment({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'error',
    ...(adminToken === null ? {} : { BOOTSTRAP_ADMIN_TOKEN: adminToken }),
    ...(TEST_ON_POSTGRES ? postgresTestSettings() : {}),
    ...options.env,
  });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(Environment)
    .useValue(env)
    .overrideProvider(CLOCK)
    .useValue(clock)
    .compile();
  const app = configureApp(moduleRef.createNestApplication<NestExpressApplication>(NEST_APP_OPTIONS), env);
  await app.init();
  const accessTokens = app.get(AccessTokens);
  const issueToken = async (role: Role, name: string, expiresAt?: string) =>
    (await accessTokens.issue({ role, name, expiresAt: expiresAt ?? null }, { actor: actorOfToken(BOOTSTRAP_ADMIN_NAME), correlationId: 'test-setup', causationId: null })).token;
  const tokens: Record<Role, string> = {
    admin: adminToken ?? '',
    caseworker: await issueToken('caseworker', 'test-caseworker'),
    auditor: await issueToken('auditor', 'test-auditor'),
    viewer: await issueToken('viewer', 'test-viewer'),
  };
  clock.set(options.now);
  const http = app.getHttpServer() as Server;
  return {
    app,
    http,
    tokens,
    as: (who) => request({ http, tokens }, who),
    issueToken,
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
