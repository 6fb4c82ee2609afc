import type { EntityManager } from 'typeorm';
import type { HistoryTable } from './history-rows.js';

/**
 * Plain multi-row INSERTs of read-model rows, without TypeORM's query builder: its per-parameter
 * bookkeeping cost more than SQLite's own work (see bench/results). Statements have a fixed number
 * of rows, so their text repeats and the driver's statement cache prepares each once.
 */
export interface RowTable {
  name: string;
  /** Column name, and the row's property it takes (flags become 0/1, as the entities store them). */
  columns: readonly (readonly [column: string, property: string, kind?: 'flag'])[];
}

/** The leading columns of every history row, in the order `pushHistoryRow` writes them. */
const BITEMPORAL = [
  ['case_id', 'caseId'],
  ['scope', 'scope'],
  ['recorded_from', 'recordedFrom'],
  ['recorded_from_position', 'recordedFromPosition'],
  ['recorded_to', 'recordedTo'],
  ['recorded_to_position', 'recordedToPosition'],
] as const;

export const ROW_TABLES = {
  status_intervals: {
    name: 'status_intervals',
    columns: [
      ...BITEMPORAL,
      ['status', 'status'],
      ['valid_from', 'validFrom'],
      ['valid_to', 'validTo'],
      ['status_since', 'statusSince'],
      ['facility', 'facility'],
      ['sentenced', 'sentenced', 'flag'],
      ['excluded_offences', 'excludedOffences'],
      ['report_every_days', 'reportEveryDays'],
      ['reporting_anchor', 'reportingAnchor'],
      ['on_hunger_strike', 'onHungerStrike', 'flag'],
    ],
  },
  flow_facts: {
    name: 'flow_facts',
    columns: [
      ...BITEMPORAL,
      ['event_id', 'eventId'],
      ['kind', 'kind'],
      ['day', 'day'],
      ['legal_basis', 'legalBasis'],
      ['conditional', 'conditional', 'flag'],
      ['days_since_release', 'daysSinceRelease'],
      ['request_id', 'requestId'],
    ],
  },
  amnesty_request_intervals: {
    name: 'amnesty_request_intervals',
    columns: [...BITEMPORAL, ['request_id', 'requestId'], ['status', 'status'], ['filed_on', 'filedOn'], ['due_on', 'dueOn'], ['valid_from', 'validFrom'], ['valid_to', 'validTo']],
  },
  case_profiles: {
    name: 'case_profiles',
    columns: [
      ['case_id', 'caseId'],
      ['full_name', 'fullName'],
      ['name_withheld', 'nameWithheld', 'flag'],
      ['nationalities', 'nationalities'],
      ['foreign_national', 'foreignNational', 'flag'],
      ['gender', 'gender'],
      ['minor', 'minor', 'flag'],
      ['affiliation', 'affiliation'],
      ['external_reference', 'externalReference'],
      ['opened_position', 'openedPosition'],
      ['opened_at', 'openedAt'],
    ],
  },
  case_nationalities: { name: 'case_nationalities', columns: [['case_id', 'caseId'], ['nationality', 'nationality']] },
  audit_log: {
    name: 'audit_log',
    columns: [
      ['position', 'position'],
      ['event_id', 'eventId'],
      ['stream_id', 'streamId'],
      ['case_id', 'caseId'],
      ['type', 'type'],
      ['actor', 'actor'],
      ['recorded_at', 'recordedAt'],
      ['occurred_on', 'occurredOn'],
      ['correlation_id', 'correlationId'],
      ['command_id', 'commandId'],
    ],
  },
} as const satisfies Record<string, RowTable>;

/** Rows per statement: well under SQLite's and PostgreSQL's limits on bound parameters. */
const ROWS_PER_STATEMENT = 64;

const isPostgres = (tx: EntityManager) => tx.connection.options.type === 'postgres';

/** `(?, ?), (?, ?)` or `($1, $2), ($3, $4)`: the VALUES of a multi-row statement, `rows` tuples of `width`. */
export function placeholderTuples(rows: number, width: number, postgres: boolean): string {
  const tuples: string[] = [];
  for (let r = 0; r < rows; r++) {
    const marks: string[] = [];
    for (let c = 1; c <= width; c++) marks.push(postgres ? `$${r * width + c}` : '?');
    tuples.push(`(${marks.join(', ')})`);
  }
  return tuples.join(', ');
}

function insertSql(table: RowTable, rows: number, postgres: boolean): string {
  return `INSERT INTO ${table.name} (${table.columns.map(([c]) => c).join(', ')}) VALUES ${placeholderTuples(rows, table.columns.length, postgres)}`;
}

const sqlCache = new Map<string, string>();
function cachedInsertSql(table: RowTable, rows: number, postgres: boolean): string {
  const key = `${table.name}|${rows}|${postgres}`;
  let sql = sqlCache.get(key);
  if (sql === undefined) sqlCache.set(key, (sql = insertSql(table, rows, postgres)));
  return sql;
}

/** What `insertRows` needs of a better-sqlite3 connection (the driver itself is TypeORM's to load). */
interface NativeSqlite {
  prepare(sql: string): { run(...params: unknown[]): unknown };
}
const nativeStatements = new WeakMap<NativeSqlite, Map<string, { run(...params: unknown[]): unknown }>>();

/**
 * The better-sqlite3 connection under a SQLite `EntityManager` or `QueryRunner`: the one connection
 * every query of the data source runs on, hence inside the same transaction. Its prepared statements
 * run synchronously, without TypeORM's per-query promise and logging work.
 */
function nativeSqlite(tx: { connection: EntityManager['connection'] }): NativeSqlite | null {
  if (tx.connection.options.type !== 'better-sqlite3') return null;
  const connection = (tx.connection.driver as unknown as { databaseConnection?: NativeSqlite }).databaseConnection;
  return connection && typeof connection.prepare === 'function' ? connection : null;
}

/** Runs one write statement: a cached prepared statement on SQLite, `query` elsewhere. */
export async function execute(q: Pick<EntityManager, 'query' | 'connection'>, sql: string, params: unknown[]): Promise<void> {
  const native = nativeSqlite(q);
  if (native !== null) nativeStatement(native, sql).run(params);
  else await q.query(sql, params);
}

function nativeStatement(db: NativeSqlite, sql: string) {
  let cache = nativeStatements.get(db);
  if (cache === undefined) nativeStatements.set(db, (cache = new Map()));
  let statement = cache.get(sql);
  if (statement === undefined) cache.set(sql, (statement = db.prepare(sql)));
  return statement;
}

/** A row property as its column stores it: flags as 0/1, a missing value as null. */
const columnValue = (v: unknown, kind?: 'flag'): unknown => (kind === 'flag' ? (v ? 1 : 0) : v === undefined ? null : v);

const columnsOf = (table: RowTable) => table.columns as readonly (readonly [string, string, 'flag'?])[];

/** Inserts `rows` in order (their properties flattened into `insertValues`). */
export async function insertRows(tx: EntityManager, table: RowTable, rows: readonly Record<string, unknown>[]): Promise<void> {
  const values: unknown[] = [];
  for (const row of rows) for (const [, property, kind] of columnsOf(table)) values.push(columnValue(row[property], kind));
  await insertValues(tx, table, values);
}

/** The content columns of a history table: what follows the bitemporal ones. */
export const contentColumns = (table: HistoryTable) => columnsOf(ROW_TABLES[table]).slice(BITEMPORAL.length);

/**
 * Appends one history row's values to `out`, in the table's column order, without building a row
 * object first: a rebuild writes several of these per event.
 */
export function pushHistoryRow(
  out: unknown[],
  table: HistoryTable,
  caseId: string,
  scope: string,
  recordedFrom: string,
  recordedFromPosition: number,
  recordedTo: string,
  recordedToPosition: number,
  content: Readonly<Record<string, unknown>>,
): void {
  out.push(caseId, scope, recordedFrom, recordedFromPosition, recordedTo, recordedToPosition);
  for (const [, property, kind] of contentColumns(table)) out.push(columnValue(content[property], kind));
}

/** Inserts rows already flattened into `values` (each row's values in column order): full statements of ROWS_PER_STATEMENT rows, then one row per statement. */
export async function insertValues(tx: EntityManager, table: RowTable, values: readonly unknown[]): Promise<void> {
  const width = table.columns.length;
  const rows = values.length / width;
  const native = nativeSqlite(tx);
  const postgres = isPostgres(tx);
  let r = 0;
  if (native !== null) {
    const many = nativeStatement(native, cachedInsertSql(table, ROWS_PER_STATEMENT, false));
    for (; r + ROWS_PER_STATEMENT <= rows; r += ROWS_PER_STATEMENT) many.run(values.slice(r * width, (r + ROWS_PER_STATEMENT) * width));
    const one = nativeStatement(native, cachedInsertSql(table, 1, false));
    for (; r < rows; r++) one.run(values.slice(r * width, (r + 1) * width));
    return;
  }
  for (; r + ROWS_PER_STATEMENT <= rows; r += ROWS_PER_STATEMENT) {
    await tx.query(cachedInsertSql(table, ROWS_PER_STATEMENT, postgres), values.slice(r * width, (r + ROWS_PER_STATEMENT) * width));
  }
  for (; r < rows; r++) await tx.query(cachedInsertSql(table, 1, postgres), values.slice(r * width, (r + 1) * width));
}

/**
 * Closes the open row of a case, scope and content: its `recorded_to` becomes the instant of the
 * event that ended it. A history never holds two rows of the same content, so the content is the
 * row's identity within its case and scope (`IS` so that null columns match).
 */
export async function closeRow(
  tx: EntityManager,
  table: HistoryTable,
  c: { caseId: string; scope: string; content: Readonly<Record<string, unknown>>; at: string; position: number },
  open: string,
): Promise<void> {
  const postgres = isPostgres(tx);
  const params: unknown[] = [c.at, c.position, c.caseId, c.scope, open];
  const p = (i: number) => (postgres ? `$${i}` : '?');
  const match: string[] = [];
  for (const [column, property, kind] of contentColumns(table)) {
    params.push(columnValue(c.content[property], kind));
    // PostgreSQL needs the parameter's type where it cannot infer it from a bare `IS`.
    match.push(`${column} IS NOT DISTINCT FROM ${p(params.length)}`);
  }
  await tx.query(
    `UPDATE ${table} SET recorded_to = ${p(1)}, recorded_to_position = ${p(2)} WHERE case_id = ${p(3)} AND scope = ${p(4)} AND recorded_to = ${p(5)} AND ${match.join(' AND ')}`,
    params,
  );
}
