import type { DataSource } from 'typeorm';

/** The projected tables and a stable order for each, for comparing two sets of read models. */
const PROJECTED_TABLES: Record<string, string> = {
  case_profiles: 'case_id',
  case_nationalities: 'case_id, nationality',
  status_intervals: 'case_id, scope, recorded_from_position, row_key',
  flow_facts: 'case_id, scope, recorded_from_position, row_key',
  amnesty_request_intervals: 'case_id, scope, recorded_from_position, row_key',
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
