import type { DataSource } from 'typeorm';
import type { CaseStatus, IsoDay } from '#domain';
import { StatusIntervalEntity } from '../schema/read-model.entities.js';

/** A change in where one person stood on a day, made by the event at `position`. */
export interface StatusChange {
  position: number;
  caseId: string;
  /** Where the person stood on the day before this event was recorded (null: not counted). */
  before: CaseStatus | null;
  after: CaseStatus | null;
}

/**
 * Every event recorded after `fromPosition` and up to `toPosition` that changed where someone stood
 * on `asOf`: the explanation, event by event, of why a count published at one position differs
 * from the same count re-derived at a later one.
 */
export async function statusChangesBetween(
  ds: DataSource,
  q: { fromPosition: number; toPosition: number; asOf: IsoDay; scope: 'all' | 'confirmed' },
): Promise<StatusChange[]> {
  const rows: { caseId: string; status: CaseStatus; rf: number | string; rt: number | string }[] = await ds
    .createQueryBuilder(StatusIntervalEntity, 'si')
    .select('si.case_id', 'caseId')
    .addSelect('si.status', 'status')
    .addSelect('si.recorded_from_position', 'rf')
    .addSelect('si.recorded_to_position', 'rt')
    .where('si.scope = :scope', { scope: q.scope })
    .andWhere('si.valid_from <= :asOf AND si.valid_to > :asOf', { asOf: q.asOf })
    .andWhere('si.recorded_to_position > :from AND si.recorded_from_position <= :to', { from: q.fromPosition, to: q.toPosition })
    .getRawMany();
  const byCase = new Map<string, { status: CaseStatus; rf: number; rt: number }[]>();
  for (const r of rows) {
    const list = byCase.get(r.caseId) ?? [];
    list.push({ status: r.status, rf: Number(r.rf), rt: Number(r.rt) });
    byCase.set(r.caseId, list);
  }
  const changes: StatusChange[] = [];
  for (const [caseId, intervals] of byCase) {
    // At any position at most one row of a case stands for a given day.
    const statusAt = (position: number) => intervals.find((i) => i.rf <= position && position < i.rt)?.status ?? null;
    const boundaries = new Set<number>();
    for (const i of intervals) {
      if (i.rf > q.fromPosition && i.rf <= q.toPosition) boundaries.add(i.rf);
      if (i.rt > q.fromPosition && i.rt <= q.toPosition) boundaries.add(i.rt);
    }
    for (const position of [...boundaries].sort((a, b) => a - b)) {
      const before = statusAt(position - 1);
      const after = statusAt(position);
      if (before !== after) changes.push({ position, caseId, before, after });
    }
  }
  return changes.sort((a, b) => a.position - b.position || a.caseId.localeCompare(b.caseId));
}
