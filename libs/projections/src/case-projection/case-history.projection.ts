import type { EntityManager } from 'typeorm';
import { caseIdOf, decodeCaseEvent } from '#application';
import { caseHistory, foldCase, HistoryWalk, makeEvolve, timelineFor, type CaseModelOptions, type CaseState, type OpenedCase, type TimelineEntry } from '#domain';
import type { EventStore, RecordedEvent } from '#event-store';
import type { Projection } from '../projection.js';
import { OPEN_INSTANT, OPEN_POSITION } from '../schema/read-model.entities.js';
import { historyRows, type HistoryRow, type HistoryTable } from './history-rows.js';
import { closeRow, insertRows, insertValues, pushHistoryRow, ROW_TABLES } from './raw-rows.js';
import { CORNER_TABLES, StockCorners } from './stock-corners.js';
import { profileOf, StockDeltas, StockGroupDeltas, STOCK_TABLES, type StockProfile } from './stock-deltas.js';

export const SCOPES = ['all', 'confirmed'] as const;
export type Scope = (typeof SCOPES)[number];

interface CachedCase {
  state: CaseState;
  rows: Record<Scope, Map<string, HistoryRow>>;
  /** Position of the last event folded into `state`. */
  position: number;
}

/** A history row written by `apply`, with its transaction-time bounds (closed later in the batch, or open). */
interface PendingRow {
  row: HistoryRow;
  caseId: string;
  scope: Scope;
  recordedFrom: string;
  recordedFromPosition: number;
  recordedTo: string;
  recordedToPosition: number;
}

/** A row standing in a rebuilt case's history, and the event it started at. */
interface Standing {
  row: HistoryRow;
  from: RecordedEvent;
}

/** Each history table's rows, flattened into one array of values in column order. */
type HistoryValues = Record<HistoryTable, unknown[]>;
const emptyValues = (): HistoryValues => ({ status_intervals: [], flow_facts: [], amnesty_request_intervals: [] });

async function insertHistoryValues(tx: EntityManager, values: HistoryValues): Promise<void> {
  for (const table of Object.keys(values) as HistoryTable[]) await insertValues(tx, ROW_TABLES[table], values[table]);
}

/** What a status interval's row holds that the count deltas read. */
type StatusContent = { status: string; validFrom: string; validTo: string; onHungerStrike: boolean; facility: string | null };

/** The count deltas a rebuild gathers across its transactions. */
interface RebuildDeltas {
  stock: StockDeltas;
  groups: StockGroupDeltas;
  corners: StockCorners;
}

/** How many cases' folded states stay in memory between batches, by default. */
const CACHE_LIMIT = 5_000;
/**
 * A rebuild adds count deltas across its transactions and writes them when they reach this many
 * keys, or at its end: the keys grow with days and groups, not with events, so most batches add to
 * keys already held instead of upserting them again.
 */
const REBUILD_DELTA_KEYS = 200_000;
/**
 * The corner cells (by recording day and valid day) grow with the log's recording days: a rebuild
 * writes them when it holds this many, so that its memory stays bounded on any log. A cell held
 * costs about 400 bytes by the time it is flushed (its map entry, then its rolled-up row): at
 * 400,000 cells the rebuild of 194,688 events peaked at 530 MB, at 50,000 at 386 MB, in the same
 * CPU time.
 */
const REBUILD_CORNER_CELLS = 50_000;

/**
 * Projects case streams into bitemporal history rows. For each new event the case's history is
 * recomputed (a backdated event revises every day it touches) and compared with the history before
 * it: rows that disappeared get `recordedTo` = the event's `recordedAt`; new rows start there.
 */
export class CaseHistoryProjection implements Projection {
  readonly name = 'case-history';
  readonly tables = ['case_profiles', 'case_nationalities', 'status_intervals', 'flow_facts', 'amnesty_request_intervals', ...STOCK_TABLES, ...Object.values(CORNER_TABLES)];
  private readonly cache = new Map<string, CachedCase>();
  private readonly evolve;
  /** Count deltas a rebuild has gathered and not written yet. */
  private rebuildDeltas: RebuildDeltas | null = null;

  constructor(
    private readonly store: EventStore,
    private readonly options: CaseModelOptions,
    private readonly tuning: { rebuildDeltaKeys?: number } = {},
  ) {
    this.evolve = makeEvolve(options);
  }

  reset(): void {
    this.cache.clear();
    this.rebuildDeltas = null;
  }

  async apply(batch: readonly RecordedEvent[], tx: EntityManager): Promise<void> {
    const byCase = new Map<string, RecordedEvent[]>();
    for (const e of batch) {
      const caseId = caseIdOf(e.streamId);
      if (caseId === null) continue;
      const list = byCase.get(caseId);
      if (list) list.push(e);
      else byCase.set(caseId, [e]);
    }
    if (byCase.size === 0) return;

    const closes: { table: HistoryTable; caseId: string; scope: Scope; content: HistoryRow['content']; at: string; position: number }[] = [];
    const inserts = new Map<string, PendingRow>();
    const profiles: Record<string, unknown>[] = [];
    const nationalities: Record<string, unknown>[] = [];
    const stock = new StockDeltas();
    const groups = new StockGroupDeltas();
    const corners = new StockCorners();
    const countIn = (scope: Scope, row: HistoryRow, state: CaseState, profile: StockProfile | null, recordedAt: string, sign: 1 | -1) => {
      if (row.table !== 'status_intervals' || profile === null || state.kind !== 'opened') return;
      const c = row.content as StatusContent;
      stock.add(scope, c.status, c.validFrom, c.validTo, c.onHungerStrike, profile, sign);
      groups.add(scope, c.status, c.validFrom, c.validTo, c.facility, state.opened.data.nationalities, sign);
      corners.add(scope, c.status, c.validFrom, c.validTo, c.onHungerStrike, profile, recordedAt, sign);
    };

    for (const [caseId, events] of byCase) {
      const cached = await this.load(caseId, events[0]!.position);
      for (const stored of events) {
        const event = decodeCaseEvent(stored);
        cached.state = this.evolve(cached.state, event);
        cached.position = stored.position;
        stock.recorded(stored.recordedAt);
        const profile = cached.state.kind === 'opened' ? profileOf(cached.state.opened.data) : null;
        if (event.type === 'CaseOpened') addProfile(caseId, stored, event.data, profiles, nationalities);
        const nextRows = this.rowsOf(cached.state);
        for (const scope of SCOPES) {
          const next = nextRows[scope];
          const before = cached.rows[scope];
          for (const [key, row] of before) {
            if (next.has(key)) continue;
            countIn(scope, row, cached.state, profile, stored.recordedAt, -1);
            const pendingKey = `${key}|${caseId}|${scope}`;
            const pending = inserts.get(pendingKey);
            if (pending && pending.recordedTo === OPEN_INSTANT) {
              pending.recordedTo = stored.recordedAt;
              pending.recordedToPosition = stored.position;
            } else {
              closes.push({ table: row.table, caseId, scope, content: row.content, at: stored.recordedAt, position: stored.position });
            }
          }
          for (const [key, row] of next) {
            if (before.has(key)) continue;
            countIn(scope, row, cached.state, profile, stored.recordedAt, 1);
            const pendingKey = `${key}|${caseId}|${scope}`;
            // A row closed earlier in this batch and now back is a new row: keep the closed one under another key.
            const earlier = inserts.get(pendingKey);
            if (earlier) inserts.set(`${pendingKey}|${earlier.recordedFromPosition}`, earlier);
            inserts.set(pendingKey, {
              row,
              caseId,
              scope,
              recordedFrom: stored.recordedAt,
              recordedFromPosition: stored.position,
              recordedTo: OPEN_INSTANT,
              recordedToPosition: OPEN_POSITION,
            });
          }
          cached.rows[scope] = next;
        }
      }
      this.remember(caseId, cached);
    }

    if (profiles.length > 0) {
      await insertRows(tx, ROW_TABLES.case_profiles, profiles);
      await insertRows(tx, ROW_TABLES.case_nationalities, nationalities);
    }
    // Closing first: a row re-opened in this batch must not be closed with the old one.
    for (const c of closes) await closeRow(tx, c.table, c, OPEN_INSTANT);
    const values = emptyValues();
    for (const r of inserts.values()) {
      pushHistoryRow(values[r.row.table], r.row.table, r.caseId, r.scope, r.recordedFrom, r.recordedFromPosition, r.recordedTo, r.recordedToPosition, r.row.content);
    }
    await insertHistoryValues(tx, values);
    await stock.flush(tx, tx.connection.options.type === 'postgres');
    await groups.flush(tx, tx.connection.options.type === 'postgres');
    await corners.flush(tx, tx.connection.options.type === 'postgres');
  }

  /**
   * A rebuild's rows, one case at a time: each case's events are folded in version order and its
   * history is diffed after each event in memory, so every row is written once with its final
   * `recordedTo` (the event that ended it, or open). The same rows and deltas `apply` leaves behind.
   */
  async rebuildStreams(events: readonly RecordedEvent[], tx: EntityManager): Promise<void> {
    const values = emptyValues();
    const profiles: Record<string, unknown>[] = [];
    const nationalities: Record<string, unknown>[] = [];
    const deltas = (this.rebuildDeltas ??= { stock: new StockDeltas(), groups: new StockGroupDeltas(), corners: new StockCorners() });
    let start = 0;
    while (start < events.length) {
      const streamId = events[start]!.streamId;
      let end = start + 1;
      while (end < events.length && events[end]!.streamId === streamId) end++;
      const caseId = caseIdOf(streamId);
      if (caseId !== null) this.rebuildCase(caseId, events, start, end, values, profiles, nationalities, deltas);
      start = end;
    }
    if (profiles.length > 0) {
      await insertRows(tx, ROW_TABLES.case_profiles, profiles);
      await insertRows(tx, ROW_TABLES.case_nationalities, nationalities);
    }
    await insertHistoryValues(tx, values);
    const postgres = tx.connection.options.type === 'postgres';
    // Each kind is written when it holds enough keys: writing the others with it would upsert their keys again.
    if (deltas.stock.size + deltas.groups.size >= (this.tuning.rebuildDeltaKeys ?? REBUILD_DELTA_KEYS)) {
      await deltas.stock.flush(tx, postgres);
      await deltas.groups.flush(tx, postgres);
    }
    if (deltas.corners.size >= (this.tuning.rebuildDeltaKeys ?? REBUILD_CORNER_CELLS)) await deltas.corners.flush(tx, postgres);
  }

  async finishRebuild(tx: EntityManager): Promise<void> {
    if (this.rebuildDeltas === null) return;
    const { stock, groups, corners } = this.rebuildDeltas;
    await stock.flush(tx, tx.connection.options.type === 'postgres');
    await groups.flush(tx, tx.connection.options.type === 'postgres');
    await corners.flush(tx, tx.connection.options.type === 'postgres');
  }

  /** Folds `events[start, end)` (one case's stream) and appends its rows, each in its final form, to `out`. */
  private rebuildCase(
    caseId: string,
    events: readonly RecordedEvent[],
    start: number,
    end: number,
    out: HistoryValues,
    profiles: Record<string, unknown>[],
    nationalities: Record<string, unknown>[],
    { stock, groups, corners }: RebuildDeltas,
  ): void {
    let state = foldCase([], this.options);
    // Each scope's history followed event by event: usually only its last day is walked again.
    const walks = { all: new HistoryWalk(), confirmed: new HistoryWalk() };
    /** Rows standing after the last event folded, by scope and key, with the event they started at. */
    const open = { all: new Map<string, Standing>(), confirmed: new Map<string, Standing>() };
    for (let i = start; i < end; i++) {
      const stored = events[i]!;
      const event = decodeCaseEvent(stored);
      state = this.evolve(state, event);
      stock.recorded(stored.recordedAt);
      if (event.type === 'CaseOpened') addProfile(caseId, stored, event.data, profiles, nationalities);
      if (state.kind !== 'opened') continue;
      const timelines = { all: state.timeline, confirmed: this.confirmedTimeline(state) };
      for (const scope of SCOPES) {
        const change = walks[scope].advance(timelines[scope]);
        const [was, now, standing] = [historyRows(change.before), historyRows(change.after), open[scope]];
        for (const [key, row] of was) {
          if (now.has(key)) continue;
          const from = standing.get(key)!.from;
          standing.delete(key);
          pushHistoryRow(out[row.table], row.table, caseId, scope, from.recordedAt, from.position, stored.recordedAt, stored.position, row.content);
          // Its corners: it appeared when it was recorded and stopped being current now. Opened and
          // closed on the same day, they cancel out in the sums by day and month (the corners of
          // knownAt's own day are read from the intervals), so they are not added at all.
          if (row.table === 'status_intervals' && from.recordedAt.slice(0, 10) !== stored.recordedAt.slice(0, 10)) {
            const c = row.content as StatusContent;
            const profile = profileOf(state.opened.data);
            corners.add(scope, c.status, c.validFrom, c.validTo, c.onHungerStrike, profile, from.recordedAt, 1);
            corners.add(scope, c.status, c.validFrom, c.validTo, c.onHungerStrike, profile, stored.recordedAt, -1);
          }
        }
        for (const [key, row] of now) {
          if (!was.has(key)) standing.set(key, { row, from: stored });
        }
      }
    }
    const profile = state.kind === 'opened' ? profileOf(state.opened.data) : null;
    for (const scope of SCOPES) {
      for (const { row, from } of open[scope].values()) {
        pushHistoryRow(out[row.table], row.table, caseId, scope, from.recordedAt, from.position, OPEN_INSTANT, OPEN_POSITION, row.content);
        // Only the rows still open count towards the deltas: an interval opened and closed again nets out.
        if (row.table !== 'status_intervals' || profile === null || state.kind !== 'opened') continue;
        const c = row.content as StatusContent;
        stock.add(scope, c.status, c.validFrom, c.validTo, c.onHungerStrike, profile, 1);
        groups.add(scope, c.status, c.validFrom, c.validTo, c.facility, state.opened.data.nationalities, 1);
        corners.add(scope, c.status, c.validFrom, c.validTo, c.onHungerStrike, profile, from.recordedAt, 1);
      }
    }
  }

  /** The rows of both scopes. The maps are only read, so both scopes may share one. */
  private rowsOf(state: CaseState): Record<Scope, Map<string, HistoryRow>> {
    if (state.kind !== 'opened') return { all: new Map(), confirmed: new Map() };
    const all = historyRows(caseHistory(state.timeline));
    const confirmed = this.confirmedTimeline(state);
    return { all, confirmed: confirmed === state.timeline ? all : historyRows(caseHistory(confirmed)) };
  }

  /** The timeline of the confirmed scope: the very same list when every event on it counts as confirmed. */
  private confirmedTimeline(state: OpenedCase): readonly TimelineEntry[] {
    const allConfirmed = state.timeline.every((t) => t.event.facts.verification === 'confirmed' || state.confirmed.has(t.event.eventId));
    return allConfirmed ? state.timeline : timelineFor(state, 'confirmed', this.options);
  }

  /** The case as folded up to just before `position`: from memory, or from its stream. */
  private async load(caseId: string, position: number): Promise<CachedCase> {
    const cached = this.cache.get(caseId);
    if (cached && cached.position < position) {
      this.cache.delete(caseId);
      return cached;
    }
    const stored = await this.store.readStream(`case-${caseId}`);
    const prior = stored.filter((e) => e.position < position);
    const state = foldCase(prior.map((e) => decodeCaseEvent(e)), this.options);
    return {
      state,
      rows: this.rowsOf(state),
      position: prior.length > 0 ? prior[prior.length - 1]!.position : 0,
    };
  }

  private remember(caseId: string, entry: CachedCase): void {
    this.cache.set(caseId, entry);
    if (this.cache.size > CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value!);
  }
}

/** The case's profile and nationalities, from its `CaseOpened` event (which never changes). */
function addProfile(
  caseId: string,
  stored: RecordedEvent,
  d: { nameWithheld: boolean; nationalities: readonly string[]; gender: string; minor: boolean; affiliation: string; externalReference: string | null },
  profiles: Record<string, unknown>[],
  nationalities: Record<string, unknown>[],
): void {
  profiles.push({
    caseId,
    // The stored personal member as is (an encrypted envelope): the read models never hold a
    // name in clear, and the projector needs no key. The query layer opens it when answering.
    fullName: stored.personal === null ? null : JSON.stringify(stored.personal),
    nameWithheld: d.nameWithheld,
    nationalities: `|${d.nationalities.join('|')}|`,
    foreignNational: d.nationalities.some((n) => n !== 'VE'),
    gender: d.gender,
    minor: d.minor,
    affiliation: d.affiliation,
    externalReference: d.externalReference,
    openedPosition: stored.position,
    openedAt: stored.recordedAt,
  });
  for (const n of new Set(d.nationalities)) nationalities.push({ caseId, nationality: n });
}
