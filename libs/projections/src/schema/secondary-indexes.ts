/**
 * The secondary indexes of the tables a rebuild refills, as the migrations create them. A rebuild by
 * stream drops them first and creates them again at the end: rows arrive in stream order, so each
 * insert would land on a random page of every index, while building an index sorts once.
 * `secondary-indexes.spec.ts` checks this list against a migrated database.
 */
export interface SecondaryIndex {
  table: string;
  name: string;
  columns: readonly string[];
}

export const SECONDARY_INDEXES: readonly SecondaryIndex[] = [
  { table: 'status_intervals', name: 'ix_status_intervals_as_of', columns: ['scope', 'recorded_to', 'valid_from', 'valid_to'] },
  { table: 'status_intervals', name: 'ix_status_intervals_case', columns: ['case_id', 'scope', 'recorded_to'] },
  { table: 'status_intervals', name: 'ix_status_intervals_recorded_from', columns: ['scope', 'recorded_from'] },
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
export const createIndexSql = (i: SecondaryIndex): string => `CREATE INDEX IF NOT EXISTS "${i.name}" ON "${i.table}" (${i.columns.map((c) => `"${c}"`).join(', ')})`;
