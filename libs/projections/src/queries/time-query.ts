import type { SelectQueryBuilder, ObjectLiteral } from 'typeorm';
import type { IsoDay } from '#domain';

/** Every read takes two times: the day in the world, and the instant of the record. */
export interface TimeQuery {
  /** The end of this day counts (valid time). */
  asOf: IsoDay;
  /** Only what was recorded at or before this instant (ISO 8601 UTC, as the store writes it). */
  knownAt: string;
  /** `all` events, or only `confirmed` ones. */
  scope: 'all' | 'confirmed';
  /**
   * Instead of `knownAt`: the record as it stood when the log ended at this position, so that a
   * published figure can be re-derived exactly, whatever was recorded since.
   */
  atPosition?: number;
}

/** The transaction-time condition: by log position when one is given, else by recording instant. */
function recorded<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, alias: string, q: Pick<TimeQuery, 'knownAt' | 'atPosition'>, p: string): SelectQueryBuilder<T> {
  return q.atPosition !== undefined
    ? qb.andWhere(`${alias}.recorded_from_position <= :${p}Position AND ${alias}.recorded_to_position > :${p}Position`, { [`${p}Position`]: q.atPosition })
    : qb.andWhere(`${alias}.recorded_from <= :${p}KnownAt AND ${alias}.recorded_to > :${p}KnownAt`, { [`${p}KnownAt`]: q.knownAt });
}

/** Rows of a bitemporal table `alias` that were true on `asOf`, as the record stood at `knownAt`. */
export function standingAt<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, alias: string, q: TimeQuery, p = 't'): SelectQueryBuilder<T> {
  return recorded(qb.andWhere(`${alias}.scope = :${p}Scope`, { [`${p}Scope`]: q.scope }), alias, q, p).andWhere(
    `${alias}.valid_from <= :${p}AsOf AND ${alias}.valid_to > :${p}AsOf`,
    { [`${p}AsOf`]: q.asOf },
  );
}

/** Rows of a bitemporal table as the record stood at `knownAt`, whatever their valid time. */
export function knownAt<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  alias: string,
  q: Pick<TimeQuery, 'knownAt' | 'scope' | 'atPosition'>,
  p = 'k',
): SelectQueryBuilder<T> {
  return recorded(qb.andWhere(`${alias}.scope = :${p}Scope`, { [`${p}Scope`]: q.scope }), alias, q, p);
}
