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
}

/** Rows of a bitemporal table `alias` that were true on `asOf`, as the record stood at `knownAt`. */
export function standingAt<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, alias: string, q: TimeQuery, p = 't'): SelectQueryBuilder<T> {
  return qb
    .andWhere(`${alias}.scope = :${p}Scope`, { [`${p}Scope`]: q.scope })
    .andWhere(`${alias}.recorded_from <= :${p}KnownAt AND ${alias}.recorded_to > :${p}KnownAt`, { [`${p}KnownAt`]: q.knownAt })
    .andWhere(`${alias}.valid_from <= :${p}AsOf AND ${alias}.valid_to > :${p}AsOf`, { [`${p}AsOf`]: q.asOf });
}

/** Rows of a bitemporal table as the record stood at `knownAt`, whatever their valid time. */
export function knownAt<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, alias: string, q: Pick<TimeQuery, 'knownAt' | 'scope'>, p = 'k'): SelectQueryBuilder<T> {
  return qb
    .andWhere(`${alias}.scope = :${p}Scope`, { [`${p}Scope`]: q.scope })
    .andWhere(`${alias}.recorded_from <= :${p}KnownAt AND ${alias}.recorded_to > :${p}KnownAt`, { [`${p}KnownAt`]: q.knownAt });
}
