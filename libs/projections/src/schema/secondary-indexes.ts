/**
 * The secondary indexes of the tables a rebuild refills, as the migrations create them. A rebuild by
 * stream drops them first and creates them again at the end: rows arrive in stream order, so each
 * insert would land on a random page of every index, while building an index sorts once.
 * `secondary-indexes.spec.ts` checks this list against a migrated database.
 */
export interface SecondaryIndex {
  table: string;
  name: string;
  /** Column names, or `{ expression }` for a key part computed from columns (written as SQL). */
  columns: readonly (string | { expression: string })[];
}

/**
 * The recording day of a status interval as SQL, given its `recorded_from` column: the index
 * `ix_status_intervals_recorded_day` and the query that uses it must write the same expression.
 */
export const recordedDaySql = (recordedFrom: string): string => `substr(${recordedFrom}, 1, 10)`;

export const SECONDARY_INDEXES: readonly SecondaryIndex[] = [
  { table: 'status_intervals', name: 'ix_status_intervals_as_of', columns: ['scope', 'recorded_to', 'valid_from', 'valid_to'] },
  { table: 'status_intervals', name: 'ix_status_intervals_case', columns: ['case_id', 'scope', 'recorded_to'] },
  // Keyed by the recording day, an expression only the past-knowledge count asks for: an index on
  // (scope, recorded_from) was picked by SQLite's planner for every per-case join, scanning all rows.
  { table: 'status_intervals', name: 'ix_status_intervals_recorded_day', columns: ['scope', { expression: recordedDaySql('"recorded_from"') }] },
  { table: 'amnesty_request_intervals', name: 'ix_amnesty_request_intervals_as_of', columns: ['scope', 'recorded_to', 'valid_from', 'valid_to'] },
  { table: 'amnesty_request_intervals', name: 'ix_amnesty_request_intervals_case', columns: ['case_id', 'scope', 'recorded_to'] },
  { table: 'flow_facts', name: 'ix_flow_facts_day', columns: ['scope', 'recorded_to', 'day', 'kind'] },
  { table: 'flow_facts', name: 'ix_flow_facts_case', columns: ['case_id', 'scope', 'recorded_to'] },
  { table: 'published_figures', name: 'ix_published_figures_metric', columns: ['metric', 'as_of'] },
  { table: 'audit_log', name: 'ix_audit_log_recorded', columns: ['recorded_at'] },
  { table: 'audit_log', name: 'ix_audit_log_actor', columns: ['actor', 'recorded_at'] },
  { table: 'audit_log', name: 'ix_audit_log_case', columns: ['case_id', 'position'] },
];

export const dropIndexSql = (i: SecondaryIndex): string => `DROP INDEX IF EXISTS "${i.name}"`;
export const createIndexSql = (i: SecondaryIndex): string =>
  `CREATE INDEX IF NOT EXISTS "${i.name}" ON "${i.table}" (${i.columns.map((c) => (typeof c === 'string' ? `"${c}"` : c.expression)).join(', ')})`;

/** The secondary index named `name` (a migration creates it with {@link createIndexSql}). */
export function secondaryIndex(name: string): SecondaryIndex {
  const index = SECONDARY_INDEXES.find((i) => i.name === name);
  if (!index) throw new Error(`no secondary index ${name}`);
  return index;
}
