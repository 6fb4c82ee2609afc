import type { DataSource } from 'typeorm';
import { CaseCommandExecutor } from '#application';
import { caseDecider, type Clock } from '#domain';
import { SqliteEventStore, type EventStore, type RecordedEvent } from '#event-store';
import { AuditLogProjection } from './audit/audit-log.projection.js';
import { CaseHistoryProjection } from './case-projection/case-history.projection.js';
import { FiguresProjection } from './figures/figures.projection.js';
import type { Projection } from './projection.js';
import { Projector } from './projector.js';
import { openSqliteReadModels } from './schema/data-source.js';
import { SECONDARY_INDEXES } from './schema/secondary-indexes.js';

/** The rebuild by stream: what it reads, where its checkpoint lands, and what a cut-short rebuild leaves. */
const TZ = { timeZone: 'America/Caracas' };
const TABLES = ['case_profiles', 'case_nationalities', 'status_intervals', 'flow_facts', 'amnesty_request_intervals', 'audit_log', 'projection_checkpoints'];

async function rowsOf(ds: DataSource): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const t of TABLES) {
    const rows: Record<string, unknown>[] = await ds.query(`SELECT * FROM ${t}`);
    out[t] = rows.map(({ id: _id, updated_at: _at, ...row }) => JSON.stringify(row)).sort();
  }
  return out;
}

const projectionsFor = (store: EventStore): Projection[] => [new CaseHistoryProjection(store, TZ), new FiguresProjection(), new AuditLogProjection()];

describe('Projector.rebuild by stream', () => {
  let store: SqliteEventStore;
  let executor: CaseCommandExecutor;
  let t = Date.parse('2026-03-01T12:00:00Z');
  const clock: Clock = { now: () => new Date((t += 60_000)) };
  let n = 0;
  const open: DataSource[] = [];
  const readModels = async () => {
    const ds = await openSqliteReadModels(':memory:');
    open.push(ds);
    return ds;
  };

  const openCase = (i: number) =>
    executor.execute(
      {
        type: 'OpenCase', caseId: `20000000-0000-4000-8000-${String(i).padStart(12, '0')}`, source: null,
        data: { nameWithheld: true, nationalities: ['VE'], gender: 'female', minor: false, affiliation: 'civilian', externalReference: null },
        personal: { fullName: null, birthYear: null },
        firstDetention: { facts: { occurredOn: '2025-01-01', datePrecision: 'day', source: null, verification: 'confirmed' }, data: { facility: 'F1', arrestingAuthority: null, charges: [] }, personal: null },
      },
      { actor: 't', correlationId: 'c', causationId: null, idempotencyKey: null, expectedVersion: null },
    );
  const release = (i: number) =>
    executor.execute(
      { type: 'RecordRelease', caseId: `20000000-0000-4000-8000-${String(i).padStart(12, '0')}`, facts: { occurredOn: '2025-02-01', datePrecision: 'day', source: null, verification: 'confirmed' }, data: { legalBasis: 'other', conditions: null, facility: null }, personal: null },
      { actor: 't', correlationId: 'c', causationId: null, idempotencyKey: null, expectedVersion: null },
    );

  beforeEach(async () => {
    store = new SqliteEventStore({ filename: ':memory:', now: () => clock.now() });
    executor = new CaseCommandExecutor(store, clock, { next: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}` }, caseDecider(TZ));
    for (let i = 0; i < 6; i++) await openCase(i);
    for (let i = 0; i < 6; i += 2) await release(i);
  });
  afterEach(async () => {
    for (const ds of open.splice(0)) await ds.destroy();
    await store.close();
  });

  it('stops at the head it read first: events appended meanwhile are applied once, by the catch-up that follows', async () => {
    const head = await store.headPosition();
    // A store whose stream read lets another writer append after its first batch.
    let appended = false;
    const racing = Object.assign(Object.create(store) as EventStore, {
      async *readStreams(options: Parameters<NonNullable<EventStore['readStreams']>>[0]): AsyncGenerator<RecordedEvent[]> {
        for await (const batch of store.readStreams(options)) {
          yield batch;
          if (!appended) {
            appended = true;
            await release(1);
            await openCase(9);
          }
        }
      },
    });
    const rebuilt = await readModels();
    const projector = new Projector(racing, rebuilt, projectionsFor(racing), { rebuildBatchSize: 4 });
    expect((await projector.rebuild()).events).toBe(head);
    expect(appended).toBe(true);
    expect(await projector.checkpoint()).toBe(head);
    expect(await store.headPosition()).toBeGreaterThan(head);
    expect(await projector.catchUp()).toBe((await store.headPosition()) - head);

    const incremental = await readModels();
    await new Projector(store, incremental, projectionsFor(store), { batchSize: 2 }).catchUp();
    expect(await rowsOf(rebuilt)).toEqual(await rowsOf(incremental));
  });

  it('leaves a marker when cut short, and the next catch-up starts the rebuild over instead of applying the log on top', async () => {
    const rebuilt = await readModels();
    const failing = new CaseHistoryProjection(store, TZ);
    let calls = 0;
    const original = failing.rebuildStreams.bind(failing);
    failing.rebuildStreams = async (events, tx) => {
      if (++calls === 2) throw new Error('disk full');
      return original(events, tx);
    };
    await expect(new Projector(store, rebuilt, [failing, new FiguresProjection(), new AuditLogProjection()], { rebuildBatchSize: 3 }).rebuild()).rejects.toThrow('disk full');
    const partial = await rowsOf(rebuilt);
    expect(partial['case_profiles']!.length).toBeGreaterThan(0);
    expect(partial['case_profiles']!.length).toBeLessThan(6);

    const indexes = async () => (await rebuilt.query(`SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'ix_%'`)).map((r: { name: string }) => r.name).sort();
    expect(await indexes()).not.toContain('ix_status_intervals_as_of');

    const resumed = new Projector(store, rebuilt, projectionsFor(store));
    expect(await resumed.checkpoint()).toBe(-1);
    expect(await resumed.catchUp()).toBe(await store.headPosition());
    expect(await indexes()).toEqual(expect.arrayContaining(SECONDARY_INDEXES.map((i) => i.name)));
    const incremental = await readModels();
    await new Projector(store, incremental, projectionsFor(store)).catchUp();
    expect(await rowsOf(rebuilt)).toEqual(await rowsOf(incremental));
  });
});
