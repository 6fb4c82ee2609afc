import type { DataSource } from 'typeorm';

/** The projected tables and a stable order for each, for comparing two sets of read models. */
const PROJECTED_TABLES: Record<string, string> = {
  case_profiles: 'case_id',
  case_nationalities: 'case_id, nationality',
  // A row's content is its identity within its case and scope.
  status_intervals:
    'case_id, scope, recorded_from_position, valid_from, valid_to, status, status_since, facility, sentenced, excluded_offences, report_every_days, reporting_anchor, on_hunger_strike',
  flow_facts: 'case_id, scope, recorded_from_position, event_id, kind, day, legal_basis, conditional, days_since_release, request_id',
  amnesty_request_intervals: 'case_id, scope, recorded_from_position, request_id, status, filed_on, due_on, valid_from, valid_to',
};

/** Every projected row, without generated ids, so that a resumed projection can be compared with a rebuild. */
export async function dumpReadModels(ds: DataSource): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const [table, order] of Object.entries(PROJECTED_TABLES)) {
    const rows: Record<string, unknown>[] = await ds.query(`SELECT * FROM ${table} ORDER BY ${order}`);
    out[table] = rows.map(({ id: _id, ...rest }) => rest);
  }
  return out;
}
