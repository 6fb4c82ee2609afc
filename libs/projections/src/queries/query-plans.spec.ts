import type { DataSource } from 'typeorm';
import { openSqliteReadModels } from '../schema/data-source.js';
import { caseListQuery } from './case.queries.js';
import { knownThenDayRows } from './stock.queries.js';
import type { TimeQuery } from './time-query.js';

/**
 * Which index SQLite's planner picks, on freshly migrated read models (no statistics, as in a new
 * deployment). The plans do not depend on the rows; a wrong pick only shows at scale, as a query
 * that visits every status interval per case instead of the few of that case.
 */
describe('SQLite query plans over status intervals', () => {
  let ds: DataSource;
  beforeAll(async () => {
    ds = await openSqliteReadModels(':memory:');
  });
  afterAll(async () => {
    await ds.destroy();
  });

  const plan = async (sql: string, params: unknown[]): Promise<string[]> =>
    ((await ds.query(`EXPLAIN QUERY PLAN ${sql}`, params)) as { detail: string }[]).map((r) => r.detail);
  const q: TimeQuery = { asOf: '2026-01-15', knownAt: '2026-02-01T10:00:00.000Z', scope: 'confirmed' };

  it.each([
    ['no filter', {}],
    ['a gender filter', { gender: 'female' }],
    ['a nationality filter', { nationality: 'VE' }],
  ])('the case list (%s) finds each listed case’s status interval through ix_status_intervals_case', async (_name, filter) => {
    const [sql, params] = caseListQuery(ds, q, filter).getQueryAndParameters();
    const details = await plan(sql, params);
    expect(details).toContainEqual(expect.stringMatching(/^SEARCH si USING INDEX ix_status_intervals_case \(case_id=\? AND scope=\?/));
  });

  it('the intervals recorded on knownAt’s own day are found through the recording-day index, those closed that day through ix_status_intervals_as_of', async () => {
    const { sql, params } = knownThenDayRows(q, false);
    const details = await plan(sql, params);
    expect(details).toContainEqual(expect.stringMatching(/^SEARCH si USING INDEX ix_status_intervals_recorded_day \(scope=\? AND <expr>=\?\)/));
    expect(details).toContainEqual(expect.stringMatching(/^SEARCH si USING INDEX ix_status_intervals_as_of \(scope=\? AND recorded_to>\? AND recorded_to<\?\)/));
    expect(details.filter((d) => /^SCAN si\b/.test(d))).toEqual([]);
  });
});
