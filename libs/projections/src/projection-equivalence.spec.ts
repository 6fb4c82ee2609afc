import fc from 'fast-check';
import type { DataSource } from 'typeorm';
import { CaseCommandExecutor, CaseRepository } from '#application';
import {
  addDays,
  daysBetween,
  caseDecider,
  caseHistory,
  DomainError,
  foldCase,
  timelineFor,
  viewCase,
  type CaseCommand,
  type Clock,
  type RecordedCaseEvent,
} from '#domain';
import { SqliteEventStore } from '#event-store';
import { CaseHistoryProjection } from './case-projection/case-history.projection.js';
import { Projector } from './projector.js';
import { openPostgresReadModels, openSqliteReadModels } from './schema/data-source.js';
import { PostgresEventStore, type EventStore } from '#event-store';
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import {
  emptyCounts,
  countByStatus,
  countByStatusFromIntervals,
  countByStatusGrouped,
  countByStatusGroupedFromIntervals,
  deprivedBreakdowns,
  deprivedBreakdownsFromIntervals,
  stockGroupsKnownNow,
  stockKnownNow,
  stockKnownThen,
  statusCountsOf,
  type GroupCount,
  type StatusCounts,
} from './queries/stock.queries.js';
import { flowsBetween } from './queries/flow.queries.js';
import type { TimeQuery } from './queries/time-query.js';
import { backfillStockDeltas } from './schema/1733100000000-stock-deltas.migration.js';
import { backfillStockGroupDeltas } from './schema/1733200000000-stock-group-deltas.migration.js';
import { backfillStockCorners } from './schema/1733400000000-stock-corners.migration.js';
import { CORNER_TABLES } from './case-projection/stock-corners.js';
import { GROUP_DIMENSIONS, type GroupDimension } from './case-projection/stock-deltas.js';

/**
 * The incremental projection, a full rebuild and a direct fold of each stream must give the same
 * answer for any day and any moment of knowledge, over random histories that include backdated,
 * reported, confirmed and retracted events.
 */
const TZ = { timeZone: 'America/Caracas' };

/** With TEST_EVENT_STORE=postgres the same property runs on PostgreSQL stores, each run in fresh schemas. */
const ON_POSTGRES = process.env['TEST_EVENT_STORE'] === 'postgres';
const DATABASE_URL = process.env['DATABASE_URL'] ?? '';
const schemasToDrop: string[] = [];
async function openStores(now: () => Date): Promise<{ store: EventStore; incremental: DataSource; rebuilt: DataSource }> {
  if (!ON_POSTGRES) {
    return { store: new SqliteEventStore({ filename: ':memory:', now }), incremental: await openSqliteReadModels(':memory:'), rebuilt: await openSqliteReadModels(':memory:') };
  }
  const [a, b] = [`p_${randomBytes(5).toString('hex')}`, `p_${randomBytes(5).toString('hex')}`];
  schemasToDrop.push(a, b);
  return {
    store: await PostgresEventStore.open({ connectionString: DATABASE_URL, schema: a, now }),
    incremental: await openPostgresReadModels(DATABASE_URL, a),
    rebuilt: await openPostgresReadModels(DATABASE_URL, b),
  };
}
afterAll(async () => {
  if (schemasToDrop.length === 0) return;
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  for (const s of schemasToDrop) await client.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
  await client.end();
});
const BASE_DAY = '2025-01-01';
const KINDS = ['detain', 'release', 'conditional', 'reArrest', 'houseArrest', 'disappear', 'whereabouts', 'transfer', 'die', 'lift', 'charges', 'strike', 'endStrike', 'retract', 'confirm'] as const;

const opArb = fc.record({
  caseIndex: fc.nat(3),
  kind: fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom('release', 'conditional', 'reArrest', 'houseArrest', 'disappear', 'whereabouts', 'transfer', 'strike') },
    { weight: 1, arbitrary: fc.constantFrom(...KINDS) },
    { weight: 1, arbitrary: fc.constantFrom('retract', 'confirm') },
  ),
  /** Days after the case's latest event; negative means a backdated event. */
  delta: fc.integer({ min: -40, max: 60 }),
  reported: fc.boolean(),
  // Now and then weeks pass between two records, so that knowledge spans several months.
  minutes: fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 1, max: 3000 }) }, { weight: 1, arbitrary: fc.integer({ min: 20_000, max: 90_000 }) }),
  target: fc.nat(20),
  catchUp: fc.boolean(),
});
/** `knowledge` spreads `knownAt` evenly over the run's recording span, edges included (fast-check's doubles crowd near 0). */
const queryArb = fc.record({ day: fc.integer({ min: -30, max: 450 }), knowledge: fc.oneof({ weight: 5, arbitrary: fc.noBias(fc.integer({ min: 0, max: 1_000_000 })).map((n) => n / 1_000_000) }, { weight: 1, arbitrary: fc.constantFrom(0, 1) }), confirmedOnly: fc.boolean(), span: fc.nat(120) });

class SteppingClock implements Clock {
  constructor(private t: number) {}
  now() {
    return new Date(this.t);
  }
  advance(minutes: number) {
    this.t += minutes * 60_000;
  }
}

function command(caseId: string, op: { kind: (typeof KINDS)[number]; day: number; reported: boolean }, eventIds: string[], target: number): CaseCommand {
  const facts = { occurredOn: addDays(BASE_DAY, op.day), datePrecision: 'day' as const, source: null, verification: op.reported ? ('reported' as const) : ('confirmed' as const) };
  const base = { caseId, facts, personal: null };
  const pick = () => eventIds[target % Math.max(1, eventIds.length)] ?? 'none';
  switch (op.kind) {
    case 'detain': return { ...base, type: 'RecordDetention', data: { facility: `F${op.day % 3}`, arrestingAuthority: null, charges: [] } };
    case 'release': return { ...base, type: 'RecordRelease', data: { legalBasis: 'other', conditions: null, facility: null } };
    case 'conditional': return { ...base, type: 'RecordRelease', data: { legalBasis: 'amnesty_law', conditions: { reportEveryDays: 30, speechRestriction: true, travelBan: false, other: null }, facility: null } };
    case 'reArrest': return { ...base, type: 'RecordReArrest', data: { facility: null, arrestingAuthority: null, charges: [] } };
    case 'houseArrest': return { ...base, type: 'RecordHouseArrest', data: { location: null, orderedBy: null } };
    case 'disappear': return { ...base, type: 'RecordDisappearance', data: { takenBy: null, lastSeenAt: null } };
    case 'whereabouts': return { ...base, type: 'RecordWhereabouts', data: { facility: 'F9' } };
    case 'transfer': return { ...base, type: 'RecordTransfer', data: { toFacility: `F${op.day % 4}` } };
    case 'die': return { ...base, type: 'RecordDeath', data: { facility: null } };
    case 'strike': return { ...base, type: 'StartHungerStrike', data: {} };
    case 'endStrike': return { ...base, type: 'EndHungerStrike', data: {} };
    case 'lift': return { ...base, type: 'LiftConditions', data: { legalBasis: null } };
    case 'charges': return { ...base, type: 'RecordCharges', data: { charges: ['x'], excludedOffences: op.day % 2 ? ['corruption'] : [], sentenced: op.day % 3 === 0 } };
    case 'retract': return { type: 'RetractEvent', caseId, data: { eventId: pick(), reason: 'test' } };
    case 'confirm': return { type: 'ConfirmEvent', caseId, data: { eventId: pick(), source: { kind: 'ngo', name: 'Foro Penal' } } };
  }
}

/** The non-zero deltas as stored, and as the migration derives them from the open status intervals. */
async function storedAndBackfilledDeltas(ds: DataSource): Promise<{ stored: unknown[]; backfilled: unknown[] }> {
  const read = async (r: Pick<DataSource, 'query'>) => [
    ...(await r.query('SELECT scope, on_day AS p, measure, delta FROM stock_deltas_by_day WHERE delta <> 0 ORDER BY scope, on_day, measure')),
    ...(await r.query('SELECT scope, in_month AS p, measure, delta FROM stock_deltas_by_month WHERE delta <> 0 ORDER BY scope, in_month, measure')),
    ...(await r.query('SELECT scope, dimension, on_day AS p, measure, delta FROM stock_group_deltas_by_day WHERE delta <> 0 ORDER BY scope, dimension, on_day, measure')),
    ...(await r.query('SELECT scope, dimension, in_month AS p, measure, delta FROM stock_group_deltas_by_month WHERE delta <> 0 ORDER BY scope, dimension, in_month, measure')),
    ...(await r.query(`SELECT * FROM ${CORNER_TABLES.monthByMonth} WHERE delta <> 0 ORDER BY scope, recorded_month, valid_month, measure`)),
    ...(await r.query(`SELECT * FROM ${CORNER_TABLES.monthByDay} WHERE delta <> 0 ORDER BY scope, valid_day, recorded_month, measure`)),
    ...(await r.query(`SELECT * FROM ${CORNER_TABLES.dayByMonth} WHERE delta <> 0 ORDER BY scope, recorded_day, valid_month, measure`)),
    ...(await r.query(`SELECT * FROM ${CORNER_TABLES.dayByDay} WHERE delta <> 0 ORDER BY scope, recorded_day, valid_day, measure`)),
  ].map((row: Record<string, unknown>) => ({ ...row, delta: Number(row['delta']) }));
  const stored = await read(ds);
  const runner = ds.createQueryRunner();
  try {
    await runner.startTransaction();
    await runner.query('DELETE FROM stock_deltas_by_day');
    await runner.query('DELETE FROM stock_deltas_by_month');
    await runner.query('DELETE FROM stock_group_deltas_by_day');
    await runner.query('DELETE FROM stock_group_deltas_by_month');
    await backfillStockDeltas(runner);
    await backfillStockGroupDeltas(runner);
    for (const table of Object.values(CORNER_TABLES)) await runner.query(`DELETE FROM ${table}`);
    await backfillStockCorners(runner);
    return { stored, backfilled: await read(runner) };
  } finally {
    await runner.rollbackTransaction();
    await runner.release();
  }
}

/** Every read-model row but its surrogate id, in a stable order, and the checkpoint: what two projectors must agree on row for row. */
async function readModelRows(ds: DataSource): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  const tables: Record<string, string> = {
    case_profiles: '', case_nationalities: '', status_intervals: '', flow_facts: '', amnesty_request_intervals: '',
    stock_deltas_by_day: 'WHERE delta <> 0', stock_deltas_by_month: 'WHERE delta <> 0', stock_knowledge: '',
    stock_group_deltas_by_day: 'WHERE delta <> 0', stock_group_deltas_by_month: 'WHERE delta <> 0', projection_checkpoints: '',
    ...Object.fromEntries(Object.values(CORNER_TABLES).map((t) => [t, 'WHERE delta <> 0'])),
  };
  for (const [table, where] of Object.entries(tables)) {
    const rows: Record<string, unknown>[] = await ds.query(`SELECT * FROM ${table} ${where}`);
    out[table] = rows.map(({ id: _id, updated_at: _at, ...row }) => JSON.stringify(row)).sort();
  }
  return out;
}

/** The store without `readStreams`, as KurrentDB is: the rebuild replays the log in position order. */
function withoutStreamReads(store: EventStore): EventStore {
  return new Proxy(store, {
    get(target, key) {
      if (key === 'readStreams') return undefined;
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

async function foldCounts(cases: RecordedCaseEvent[][], q: TimeQuery): Promise<StatusCounts> {
  const counts = emptyCounts();
  for (const events of cases) {
    const view = viewCase(events, { asOfDay: q.asOf, knownAt: q.knownAt, verification: q.scope }, TZ);
    if (view && view.situation.standing !== 'not_detained') counts[view.situation.standing] += 1;
  }
  return counts;
}

/** Per-status counts by nationality or facility, from each case's fold, keyed by the group's value (order aside). */
function foldGrouped(cases: RecordedCaseEvent[][], q: TimeQuery, dimension: GroupDimension): Map<string | null, StatusCounts> {
  const out = new Map<string | null, StatusCounts>();
  for (const events of cases) {
    const view = viewCase(events, { asOfDay: q.asOf, knownAt: q.knownAt, verification: q.scope }, TZ);
    if (!view || view.situation.standing === 'not_detained') continue;
    const { standing, facility } = view.situation;
    // A status interval names a facility only while the person is detained in it.
    const values = dimension === 'facility' ? [standing === 'detained' ? facility : null] : [...new Set(view.state.opened.data.nationalities)];
    for (const v of values) {
      const counts = out.get(v) ?? emptyCounts();
      counts[standing] += 1;
      out.set(v, counts);
    }
  }
  return out;
}
const byGroupValue = (groups: GroupCount[], dimension: GroupDimension) => new Map(groups.map((g) => [g.group[dimension] as string | null, g.counts]));

function foldFlowCount(cases: RecordedCaseEvent[][], from: string, to: string, q: TimeQuery): number {
  let n = 0;
  for (const events of cases) {
    const state = foldCase(events.filter((e) => e.recordedAt <= q.knownAt), TZ);
    if (state.kind !== 'opened') continue;
    n += caseHistory(timelineFor(state, q.scope, TZ)).flows.filter((f) => f.day >= from && f.day <= to).length;
  }
  return n;
}

const totalFlows = (f: Awaited<ReturnType<typeof flowsBetween>>) =>
  f.detentions + f.releases.total + f.reArrests + f.houseArrests + f.disappearances + f.whereaboutsConfirmed + f.transfers + f.deaths + f.conditionsLifted +
  f.presentationsMissed + f.amnesty.requested + f.amnesty.granted + f.amnesty.denied + f.amnesty.appealed;

describe('projection equivalence (property)', () => {
  /** What the random histories actually exercised, so that the property cannot pass on trivial input. */
  const seen = { knownThenEarlierMonths: 0, knownThenEarlierDays: 0, groupedNow: 0, nullFacilityNow: 0, dualNationalNow: 0, streamRebuilds: 0, positionOrderRebuilds: 0, accepted: 0, retractions: 0, confirmations: 0, backdated: 0, reported: 0, deprivedNow: 0, onHungerStrikeNow: 0 };

  afterAll(() => {
    if (process.env.DEBUG_PROP) console.log(seen);
    const runs = ON_POSTGRES ? 0.2 : 1;
    expect(seen.accepted).toBeGreaterThan(150 * runs);
    // Past knowledge was asked where the corners' recording months, and days of knownAt's month, counted.
    // The months come in clumps (a few runs give many, most none): 114-154 per 100 runs on SQLite, and
    // exactly 10 in one PostgreSQL pass of 20 runs, which failed "more than 10". Over 20 runs, "more than
    // 2" still shows the path was taken; SQLite's 100 runs check the amount.
    expect(seen.knownThenEarlierMonths).toBeGreaterThan(ON_POSTGRES ? 2 : 50);
    expect(seen.knownThenEarlierDays).toBeGreaterThan(50 * runs);
    // Each run draws one of the two rebuilds: over PostgreSQL's 20 runs, more than 5 of either failed about 1 run in 50.
    const eachRebuild = ON_POSTGRES ? 2 : 5;
    expect(seen.streamRebuilds).toBeGreaterThan(eachRebuild);
    expect(seen.positionOrderRebuilds).toBeGreaterThan(eachRebuild);
    expect(seen.retractions).toBeGreaterThan(10 * runs);
    // Confirmations are rare (a reported event must come first): the long SQLite run is the one that must see several.
    if (!ON_POSTGRES) expect(seen.confirmations).toBeGreaterThan(1);
    expect(seen.backdated).toBeGreaterThan(15 * runs);
    expect(seen.reported).toBeGreaterThan(30 * runs);
    // The breakdowns compared above were not all zero.
    expect(seen.deprivedNow).toBeGreaterThan(50 * runs);
    expect(seen.onHungerStrikeNow).toBeGreaterThan(5 * runs);
    // The grouped answers compared had groups, a null facility among them, and dual nationals.
    expect(seen.groupedNow).toBeGreaterThan(50 * runs);
    expect(seen.nullFacilityNow).toBeGreaterThan(5 * runs);
    expect(seen.dualNationalNow).toBeGreaterThan(5 * runs);
  });

  it('incremental projection = full rebuild = direct fold, for random histories and random (asOf, knownAt)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 3, maxLength: 45 }), fc.array(queryArb, { minLength: 5, maxLength: 12 }), fc.oneof(fc.integer({ min: 1, max: 7 }), fc.constant(10_000)), fc.boolean(), async (ops, queries, rebuildBatch, inPositionOrder) => {
        const start = Date.parse('2026-03-01T12:00:00Z');
        const clock = new SteppingClock(start);
        const { store, incremental, rebuilt } = await openStores(() => clock.now());
        let n = 0;
        const executor = new CaseCommandExecutor(store, clock, { next: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}` }, caseDecider(TZ));
        const repository = new CaseRepository(store, caseDecider(TZ));
        try {
          const live = new Projector(store, incremental, [new CaseHistoryProjection(store, TZ)], { batchSize: 3 });
          const caseIds: string[] = [];
          for (let i = 0; i < 4; i++) {
            const caseId = `10000000-0000-4000-8000-00000000000${i}`;
            await executor.execute(
              { type: 'OpenCase', caseId, source: null, data: { nameWithheld: true, nationalities: i % 2 ? ['VE'] : ['ES', 'VE'], gender: i < 2 ? 'female' : 'male', minor: i === 1, affiliation: i === 2 ? 'military' : 'civilian', externalReference: null }, personal: { fullName: null, birthYear: null },
                firstDetention: { facts: { occurredOn: addDays(BASE_DAY, i * 10), datePrecision: 'day', source: null, verification: i === 3 ? 'reported' : 'confirmed' }, data: { facility: 'F1', arrestingAuthority: null, charges: [] }, personal: null } },
              { actor: 't', correlationId: 'c', causationId: null, idempotencyKey: null, expectedVersion: null },
            );
            caseIds.push(caseId);
          }
          for (const op of ops) {
            clock.advance(op.minutes);
            const caseId = caseIds[op.caseIndex]!;
            const before = await repository.events(caseId);
            const eventIds = before.filter((e) => e.type !== 'CaseOpened').map((e) => e.eventId);
            const latestDay = before.reduce((d, e) => (e.type !== 'CaseOpened' && e.facts.occurredOn > d ? e.facts.occurredOn : d), BASE_DAY);
            const offset = Math.max(0, Math.min(420, daysBetween(BASE_DAY, latestDay) + op.delta));
            try {
              await executor.execute(command(caseId, { ...op, day: offset }, eventIds, op.target), { actor: 't', correlationId: 'c', causationId: null, idempotencyKey: null, expectedVersion: null });
              seen.accepted++;
              if (op.kind === 'retract') seen.retractions++;
              else if (op.kind === 'confirm') seen.confirmations++;
              else {
                if (op.delta < 0) seen.backdated++;
                if (op.reported) seen.reported++;
              }
            } catch (error) {
              if (!(error instanceof DomainError)) throw error;
              if (process.env.DEBUG_PROP) console.log(op.kind, error.code);
            }
            if (op.catchUp) await live.catchUp();
          }
          await live.catchUp();
          const rebuildFrom = inPositionOrder ? withoutStreamReads(store) : store;
          const rebuilder = new Projector(rebuildFrom, rebuilt, [new CaseHistoryProjection(rebuildFrom, TZ, { rebuildDeltaKeys: rebuildBatch * 3 })], { batchSize: rebuildBatch, rebuildBatchSize: rebuildBatch });
          await rebuilder.rebuild();
          if (inPositionOrder) seen.positionOrderRebuilds++;
          else seen.streamRebuilds++;
          // Row for row (surrogate ids aside), checkpoint included.
          expect(await readModelRows(rebuilt)).toEqual(await readModelRows(incremental));

          for (const ds of [incremental, rebuilt]) {
            // What the migration fills existing read models with is what the projection keeps.
            const { stored, backfilled } = await storedAndBackfilledDeltas(ds);
            expect(backfilled).toEqual(stored);
          }
          const cases = await Promise.all(caseIds.map((id) => repository.events(id)));
          const end = clock.now().getTime();
          const lastRecorded = cases.flat().reduce((t, e) => (e.recordedAt > t ? e.recordedAt : t), '');
          for (const qa of queries) {
            const q: TimeQuery = {
              asOf: addDays(BASE_DAY, qa.day),
              knownAt: new Date(start + Math.floor((end - start + 120_000) * qa.knowledge) - 60_000).toISOString(),
              scope: qa.confirmedOnly ? 'confirmed' : 'all',
            };
            const expected = await foldCounts(cases, q);
            const firstRecorded = cases.flat().reduce((t, e) => (e.recordedAt < t ? e.recordedAt : t), lastRecorded);
            if (q.knownAt < lastRecorded && q.knownAt.slice(0, 7) > firstRecorded.slice(0, 7)) seen.knownThenEarlierMonths++;
            if (q.knownAt < lastRecorded && q.knownAt.slice(0, 10) > firstRecorded.slice(0, 10) && q.knownAt.slice(8, 10) !== '01') seen.knownThenEarlierDays++;
            for (const ds of [incremental, rebuilt]) {
              // The corners answer every query, past knowledge or current.
              const then = await stockKnownThen(ds, q);
              expect(then).not.toBeNull();
              expect(statusCountsOf(then!)).toEqual(expected);
              // The per-day deltas answer only for the current knowledge; the intervals answer every query.
              expect((await stockKnownNow(ds, q)) !== null).toBe(q.knownAt >= lastRecorded);
              expect(await countByStatus(ds, q)).toEqual(expected);
              expect(await countByStatusFromIntervals(ds, q)).toEqual(expected);
              expect(await deprivedBreakdowns(ds, q)).toEqual(await deprivedBreakdownsFromIntervals(ds, q));
              for (const g of GROUP_DIMENSIONS) {
                const grouped = await countByStatusGroupedFromIntervals(ds, q, [g]);
                expect(await countByStatusGrouped(ds, q, [g])).toEqual(grouped);
                expect(byGroupValue(grouped, g)).toEqual(foldGrouped(cases, q, g));
              }
            }
            // Known now, at the last recording and after it: the deltas must answer, and exactly as the intervals and the fold do.
            for (const knownNow of [lastRecorded, new Date(end + 86_400_000).toISOString()]) {
              const now: TimeQuery = { ...q, knownAt: knownNow };
              const expectedNow = await foldCounts(cases, now);
              for (const ds of [incremental, rebuilt]) {
                expect(await stockKnownNow(ds, now)).not.toBeNull();
                expect(await countByStatus(ds, now)).toEqual(expectedNow);
                expect(statusCountsOf((await stockKnownThen(ds, now))!)).toEqual(expectedNow);
                expect(await countByStatusFromIntervals(ds, now)).toEqual(expectedNow);
                const breakdowns = await deprivedBreakdowns(ds, now);
                expect(breakdowns).toEqual(await deprivedBreakdownsFromIntervals(ds, now));
                for (const g of GROUP_DIMENSIONS) {
                  expect(await stockGroupsKnownNow(ds, now, g)).not.toBeNull();
                  const grouped = await countByStatusGrouped(ds, now, [g]);
                  // Same groups, counts and order as the intervals give, and the counts the fold gives.
                  expect(grouped).toEqual(await countByStatusGroupedFromIntervals(ds, now, [g]));
                  expect(byGroupValue(grouped, g)).toEqual(foldGrouped(cases, now, g));
                  seen.groupedNow += grouped.length;
                  if (g === 'facility') seen.nullFacilityNow += grouped.filter((x) => x.group['facility'] === null).length;
                  else seen.dualNationalNow += grouped.filter((x) => x.group['nationality'] === 'ES').length;
                }
                if (now.scope === 'all') {
                  seen.deprivedNow += breakdowns.adults + breakdowns.minors;
                  seen.onHungerStrikeNow += breakdowns.onHungerStrike;
                }
              }
            }
            const to = addDays(q.asOf, qa.span);
            const folded = foldFlowCount(cases, q.asOf, to, q);
            expect(totalFlows(await flowsBetween(incremental, q.asOf, to, q))).toBe(folded);
            expect(totalFlows(await flowsBetween(rebuilt, q.asOf, to, q))).toBe(folded);
          }
        } finally {
          await incremental.destroy();
          await rebuilt.destroy();
          await store.close();
        }
      }),
      { numRuns: ON_POSTGRES ? 20 : 100 },
    );
  }, 120_000);
});
