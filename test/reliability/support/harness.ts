import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { generateAccessToken, verifyLog } from '#application';
import { type EventStore, PostgresEventStore, type RecordedEvent, SqliteEventStore, verifyEvent } from '#event-store';
import { CaseHistoryProjection, FiguresProjection, openPostgresReadModels, openSqliteReadModels, Projector } from '#projections';
import { startApiProcess, waitUntil, type RunningProcess } from '../../support/processes.js';
import { dumpReadModels } from '../../support/read-models.js';
import { dropSchema } from '../../support/test-app.js';

/**
 * What the reliability specs share: the built API started as its own process on SQLite or
 * PostgreSQL, an HTTP client whose every request has a deadline, and the checks run on the log
 * afterwards (straight from the store, not through the API under test).
 */

export type StoreKind = 'sqlite' | 'postgres';
export const DATABASE_URL = process.env['DATABASE_URL'];
export const STORE_KINDS: StoreKind[] = DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];
if (!DATABASE_URL) console.warn('reliability: PostgreSQL runs skipped: DATABASE_URL is not set');
const TZ = { timeZone: 'America/Caracas' };

/** One deployment's settings (its own DATA_DIR, and its own schema on PostgreSQL), kept across restarts. */
export interface Deployment {
  kind: StoreKind;
  env: Record<string, string>;
  dataDir: string;
  admin: string;
  /** Removes the data directory and the schema. */
  dispose(): Promise<void>;
}

export function newDeployment(kind: StoreKind, extra: Record<string, string> = {}): Deployment {
  const dataDir = mkdtempSync(join(tmpdir(), `pct-rel-${kind}-`));
  const admin = generateAccessToken();
  const schema = `rel_${randomBytes(6).toString('hex')}`;
  const env: Record<string, string> = {
    EVENT_STORE: kind,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    BOOTSTRAP_ADMIN_TOKEN: admin,
    MASTER_KEY: randomBytes(32).toString('base64'),
    // The load here is the point; the per-token limit is tested elsewhere.
    RATE_LIMIT_PER_MINUTE: '100000000',
    ...(kind === 'postgres' ? { DATABASE_URL: DATABASE_URL!, DATABASE_SCHEMA: schema } : {}),
    ...extra,
  };
  return {
    kind,
    env,
    dataDir,
    admin,
    async dispose() {
      if (kind === 'postgres') await dropSchema(DATABASE_URL!, schema);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface RunningApi {
  process: RunningProcess;
  base: string;
  client: ApiClient;
}

/**
 * A deployment of `kind` whose API is started before the suite's tests and which is disposed after
 * them; read `suite.deployment` and `suite.api` inside the tests.
 */
export function deploymentWithApi(kind: StoreKind): { readonly deployment: Deployment; readonly api: RunningApi } {
  let deployment: Deployment | undefined;
  let api: RunningApi | undefined;
  beforeAll(async () => {
    deployment = newDeployment(kind);
    api = await startApi(deployment);
  });
  afterAll(async () => {
    await api?.process.kill();
    await deployment?.dispose();
  });
  return {
    get deployment() {
      if (!deployment) throw new Error('the deployment exists only inside the suite');
      return deployment;
    },
    get api() {
      if (!api) throw new Error('the API runs only inside the suite');
      return api;
    },
  };
}

/** Starts the built API on a deployment and resolves once it listens. */
export async function startApi(deployment: Deployment): Promise<RunningApi> {
  const { process: api, origin } = await startApiProcess(deployment.env);
  return { process: api, base: origin, client: new ApiClient(origin, deployment.admin) };
}

export interface Answer {
  /** HTTP status, or 0 when there was no answer (connection refused or reset, or the deadline passed). */
  status: number;
  body: Record<string, unknown> | null;
  headers: Headers | null;
  /** Why there was no answer. */
  failure?: 'timeout' | 'network';
  ms: number;
}

export class ApiClient {
  constructor(
    readonly base: string,
    private readonly token: string,
  ) {}

  async send(method: string, path: string, options: { body?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {}): Promise<Answer> {
    const started = performance.now();
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 10_000);
    try {
      const response = await fetch(`${this.base}${path}`, {
        method,
        headers: { authorization: `Bearer ${this.token}`, ...(options.body === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers },
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: controller.signal,
      });
      const text = await response.text();
      let body: Record<string, unknown> | null = null;
      try {
        body = text ? (JSON.parse(text) as Record<string, unknown>) : null;
      } catch {
        body = { text };
      }
      return { status: response.status, body, headers: response.headers, ms: performance.now() - started };
    } catch (error) {
      if (controller.signal.aborted) return { status: 0, body: null, headers: null, failure: 'timeout', ms: performance.now() - started };
      // What the transport said (fetch wraps it as `cause`: a reset, a socket the server closed...), for the report.
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      return { status: 0, body: { transport: cause?.code ?? cause?.message ?? String(error) }, headers: null, failure: 'network', ms: performance.now() - started };
    } finally {
      clearTimeout(timer);
    }
  }

  get(path: string, timeoutMs?: number): Promise<Answer> {
    return this.send('GET', path, { timeoutMs });
  }
}

/** A command the specs send: where, what, and how many events it writes when it succeeds. */
export interface Command {
  key: string;
  path: string;
  body: unknown;
  events: number;
}

let opened = 0;
/**
 * `count` clients writing without pause (one command in four opens a case, the others transfer one
 * of `cases`) until `stop()`; every command must be answered 201. `acknowledged` grows as they go.
 */
export function steadyWriters(client: ApiClient, cases: string[], count: number): { acknowledged: { command: Command; answer: Answer }[]; stop(): Promise<void> } {
  const acknowledged: { command: Command; answer: Answer }[] = [];
  let stopped = false;
  let n = 0;
  const writer = async () => {
    while (!stopped) {
      const command = ++n % 4 === 0 ? openCaseCommand() : transferCommand(cases[n % cases.length]!);
      const answer = await sendCommand(client, command);
      if (answer.status !== 201) throw new Error(`${command.path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      acknowledged.push({ command, answer });
    }
  };
  const writers = Array.from({ length: count }, writer);
  return {
    acknowledged,
    stop: async () => {
      stopped = true;
      await Promise.all(writers);
    },
  };
}

export function openCaseCommand(key = `open-${randomUUID()}`): Command {
  const i = ++opened;
  return {
    key,
    path: '/api/cases',
    body: {
      person: { fullName: `Persona ${i}`, nationalities: ['VE'], gender: i % 2 ? 'male' : 'female', minor: false, affiliation: 'civilian' },
      detention: { occurredOn: `2025-0${1 + (i % 9)}-1${i % 10}`, facility: 'El Helicoide' },
    },
    events: 2,
  };
}

const FACILITIES = ['Rodeo I', 'Tocorón', 'El Helicoide', 'La Tumba', 'Yare III'];
export function transferCommand(caseId: string, key = `transfer-${randomUUID()}`): Command {
  const day = 1 + Math.floor(Math.random() * 28);
  return {
    key,
    path: `/api/cases/${caseId}/transfers`,
    body: { occurredOn: `2025-12-${String(day).padStart(2, '0')}`, toFacility: FACILITIES[Math.floor(Math.random() * FACILITIES.length)] },
    events: 1,
  };
}

export function sendCommand(client: ApiClient, command: Command, options: { timeoutMs?: number; headers?: Record<string, string> } = {}): Promise<Answer> {
  return client.send('POST', command.path, { body: command.body, headers: { 'Idempotency-Key': command.key, ...options.headers }, timeoutMs: options.timeoutMs });
}

/** Opens `n` cases and answers their ids (failing loudly: the setup is not what is under test). */
export async function openCases(client: ApiClient, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const answer = await sendCommand(client, openCaseCommand());
    if (answer.status !== 201) throw new Error(`opening a case answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    ids.push(answer.body!['caseId'] as string);
  }
  return ids;
}

export async function openStore(deployment: Deployment): Promise<EventStore> {
  return deployment.kind === 'sqlite'
    ? new SqliteEventStore({ filename: join(deployment.dataDir, 'events.sqlite') })
    : PostgresEventStore.open({ connectionString: DATABASE_URL!, schema: deployment.env['DATABASE_SCHEMA'] });
}

export async function readWholeLog(store: EventStore): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  for await (const batch of store.readAll({ after: 0, batchSize: 1000 })) all.push(...batch);
  return all;
}

export interface LogAudit {
  events: number;
  streams: number;
  /** Every stream's versions are 1..n with no gap or repeat. */
  contiguousStreams: boolean;
  /** Global positions are 1..n. */
  contiguousPositions: boolean;
  /** Every event's hash matches its stored content. */
  everyEventIntact: boolean;
  /** The chain links verify end to end (`verifyLog`, as `cli verify` runs it). */
  chainValid: boolean;
  /** Command ids whose events are not all there (or are spread over streams): a half-written command. */
  partialCommands: string[];
  /** Events per command id. */
  byCommand: Map<string, RecordedEvent[]>;
}

/** Reads the whole log and checks what a crash must never leave behind. */
export async function auditLog(store: EventStore, expectedEventsOf: (first: RecordedEvent) => number | null = defaultEventsOf): Promise<LogAudit> {
  const events = await readWholeLog(store);
  const versions = new Map<string, number[]>();
  const byCommand = new Map<string, RecordedEvent[]>();
  for (const e of events) {
    versions.set(e.streamId, [...(versions.get(e.streamId) ?? []), e.version]);
    byCommand.set(e.metadata.commandId, [...(byCommand.get(e.metadata.commandId) ?? []), e]);
  }
  const partialCommands: string[] = [];
  for (const [commandId, group] of byCommand) {
    const expected = expectedEventsOf(group[0]!);
    const oneStream = group.every((e) => e.streamId === group[0]!.streamId);
    const consecutive = group.every((e, i) => i === 0 || (e.version === group[i - 1]!.version + 1 && e.position === group[i - 1]!.position + 1));
    if (!oneStream || !consecutive || (expected !== null && group.length !== expected)) partialCommands.push(commandId);
  }
  const chain = await verifyLog(store);
  return {
    events: events.length,
    streams: versions.size,
    contiguousStreams: [...versions.values()].every((vs) => vs.every((v, i) => v === i + 1)),
    contiguousPositions: events.every((e, i) => e.position === i + 1),
    everyEventIntact: events.every((e) => verifyEvent(e)),
    chainValid: chain.valid && chain.eventsChecked === events.length,
    partialCommands,
    byCommand,
  };
}

/** Events a command writes, known from its first event: opening a case writes the case and its first detention. */
function defaultEventsOf(first: RecordedEvent): number | null {
  if (first.type === 'CaseOpened') return 2;
  if (first.type === 'Transferred') return 1;
  return null;
}

/** Acknowledged commands whose events are not in the log as answered. */
export function missingAcknowledged(audit: LogAudit, acknowledged: { command: Command; answer: Answer }[]): string[] {
  const missing: string[] = [];
  for (const { command, answer } of acknowledged) {
    const group = audit.byCommand.get(command.key);
    const caseId = answer.body?.['caseId'];
    const eventId = answer.body?.['eventId'];
    if (
      !group ||
      group.length !== command.events ||
      group[0]!.streamId !== `case-${caseId}` ||
      group[group.length - 1]!.version !== answer.body?.['version'] ||
      (eventId !== undefined && group[0]!.eventId !== eventId)
    ) {
      missing.push(command.key);
    }
  }
  return missing;
}

/** The read models of a deployment beside a clean rebuild of its log: equal when nothing was lost or doubled. */
export async function readModelsAndRebuild(deployment: Deployment, store: EventStore): Promise<{ live: Record<string, unknown[]>; rebuilt: Record<string, unknown[]> }> {
  const cleanDir = mkdtempSync(join(tmpdir(), 'pct-rel-clean-'));
  const cleanSchema = `rel_${randomBytes(6).toString('hex')}`;
  let live: DataSource | null = null;
  let clean: DataSource | null = null;
  try {
    live =
      deployment.kind === 'sqlite'
        ? await openSqliteReadModels(join(deployment.dataDir, 'read-models.sqlite'))
        : await openPostgresReadModels(DATABASE_URL!, deployment.env['DATABASE_SCHEMA']);
    clean = deployment.kind === 'sqlite' ? await openSqliteReadModels(join(cleanDir, 'read-models.sqlite')) : await openPostgresReadModels(DATABASE_URL!, cleanSchema);
    await new Projector(store, clean, [new CaseHistoryProjection(store, TZ), new FiguresProjection()], { batchSize: 1000 }).rebuild();
    return { live: await dumpReadModels(live), rebuilt: await dumpReadModels(clean) };
  } finally {
    await live?.destroy();
    await clean?.destroy();
    if (deployment.kind === 'postgres') await dropSchema(DATABASE_URL!, cleanSchema);
    rmSync(cleanDir, { recursive: true, force: true });
  }
}

/** Waits until the API's in-process projector has applied the whole log (`GET /health` lag 0). */
export async function waitForProjection(client: ApiClient, timeoutMs = 60_000): Promise<void> {
  await waitUntil(
    async () => {
      const health = await client.get('/health', 5000);
      return health.status === 200 && /"lag":0[,}]/.test(JSON.stringify(health.body));
    },
    timeoutMs,
    'the read models to catch up',
  );
}

/** Runs `task` on `items` with at most `concurrency` in flight. */
export async function pool<T, R>(items: T[], concurrency: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
