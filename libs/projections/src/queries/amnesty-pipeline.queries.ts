import type { DataSource } from 'typeorm';
import { AmnestyRequestIntervalEntity } from '../schema/read-model.entities.js';
import { UNDECIDED_AMNESTY_STATUSES } from './case.queries.js';
import { standingAt, type TimeQuery } from './time-query.js';

/** The amnesty pipeline on a day: counts of requests, never who filed them. */
export interface AmnestyPipeline {
  /** Every request filed by `asOf` (whatever its state on that day). */
  filed: number;
  /** Awaiting a decision: filed or appealed, not decided yet. */
  pending: number;
  /** Pending past the law's 15-day limit (the due day itself is still in time). */
  overdue: number;
  granted: number;
  denied: number;
  /** Denied, then appealed, and awaiting the appeal's decision (also counted in `pending`). */
  appealed: number;
}

/** Amnesty requests by state on `asOf`, as known at `knownAt`: one grouped index range scan. */
export async function amnestyPipeline(ds: DataSource, q: TimeQuery): Promise<AmnestyPipeline> {
  const rows: { status: string; n: number | string; overdue: number | string | null }[] = await standingAt(
    ds
      .createQueryBuilder(AmnestyRequestIntervalEntity, 'ar')
      .select('ar.status', 'status')
      .addSelect('COUNT(*)', 'n')
      .addSelect('SUM(CASE WHEN ar.due_on < :dueBefore THEN 1 ELSE 0 END)', 'overdue')
      .setParameter('dueBefore', q.asOf),
    'ar',
    q,
  )
    .groupBy('ar.status')
    .getRawMany();
  const pipeline: AmnestyPipeline = { filed: 0, pending: 0, overdue: 0, granted: 0, denied: 0, appealed: 0 };
  for (const row of rows) {
    const n = Number(row.n);
    pipeline.filed += n;
    if (UNDECIDED_AMNESTY_STATUSES.includes(row.status)) {
      pipeline.pending += n;
      pipeline.overdue += Number(row.overdue ?? 0);
    }
    if (row.status === 'appealed') pipeline.appealed += n;
    if (row.status === 'granted') pipeline.granted += n;
    if (row.status === 'denied') pipeline.denied += n;
  }
  return pipeline;
}
