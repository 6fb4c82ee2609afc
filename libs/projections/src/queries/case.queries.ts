import type { DataSource, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { NameView, SealedName } from '#application';
import { addDays, CASE_STATUSES, daysBetween, DEPRIVED_OF_LIBERTY, type IsoDay, type Standing } from '#domain';
import {
  AmnestyRequestIntervalEntity,
  CaseProfileEntity,
  FlowFactEntity,
  StatusIntervalEntity,
} from '../schema/read-model.entities.js';
import { knownAt, standingAt, type TimeQuery } from './time-query.js';

/**
 * The caseworker's and lawyer's lists: one row per person, read from the bitemporal read models.
 * Portable SQL (SQLite now, PostgreSQL later): named parameters, flags as 0/1, no dialect functions
 * beyond CASE and COUNT.
 *
 * Names are not in the read models in clear: `case_profiles.full_name` holds the encrypted envelope
 * of the person's personal data. Each query selects its rows in SQL (filters, time), opens the names
 * of those rows in one batch through a {@link NameReader}, and orders them by name in memory; the
 * name search `q` filters in memory too (case- and accent-insensitive; the external reference, in
 * clear, is matched in the same pass). Every selected row's name is needed, paging included (the
 * order needs them all). Opening one costs about 10 µs with the data keys in memory, more when the
 * key cache is cold (one key-store query per list, then one unwrap per case); the codec keeps the
 * names it opened while their keys are trusted, so a list within the key TTL of the last one reads
 * them from memory (5,000 names: about 1 ms instead of 40–60 ms). The SQL still returns every
 * selected row: fine for tens of thousands of cases; beyond that, a keyed blind index (HMAC of
 * name tokens) would let SQL filter first. A name erased with its key reads as
 * `fullName: null` with `nameErased: true` (the member is absent otherwise) and sorts with the
 * withheld names, last.
 */

/** Opens the names of a batch of rows (`CaseEventCodec.readNames`), in the order given. */
export type NameReader = (rows: readonly SealedName[]) => Promise<NameView[]>;

/** Names in Spanish collation order (so that Álvarez sorts with the A's); null (withheld or erased) last. */
const COLLATOR = new Intl.Collator('es');
function byName(a: string | null, b: string | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return COLLATOR.compare(a, b);
}
const byText = (a: string | number, b: string | number): number => (a < b ? -1 : a > b ? 1 : 0);

/** Case-, accent- and spacing-insensitive form for the name search: `rocio` finds Rocío. */
export function searchForm(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ');
}

/** `fullName` (and `nameErased` when erased) for each row, opened in one batch. */
async function withNames<R extends { caseId: string; sealedName: string | null }>(
  rows: readonly R[],
  names: NameReader,
): Promise<(Omit<R, 'sealedName'> & { fullName: string | null; nameErased?: true })[]> {
  const views = await names(rows.map((r) => ({ caseId: r.caseId, sealed: r.sealedName })));
  return rows.map(({ sealedName: _sealed, ...rest }, i) => ({ ...rest, fullName: views[i]!.fullName, ...(views[i]!.nameErased ? { nameErased: true as const } : {}) }));
}

// ---------------------------------------------------------------------------------------------
// Shared

/** Every standing a case may be listed under: the six statuses, and `not_detained` before the first detention. */
export const LISTED_STANDINGS = [...CASE_STATUSES, 'not_detained'] as const satisfies readonly Standing[];
/** `status=deprived_of_liberty` stands for detained, disappeared and house arrest. */
export const DEPRIVED_OF_LIBERTY_ALIAS = 'deprived_of_liberty';
export const STATUS_FILTER_VALUES = [...LISTED_STANDINGS, DEPRIVED_OF_LIBERTY_ALIAS] as const;
export type StatusFilterValue = (typeof STATUS_FILTER_VALUES)[number];

/** The standings a `status` filter names, the alias expanded, each once, in a stable order. */
export function expandStatusFilter(values: readonly StatusFilterValue[]): Standing[] {
  const wanted = new Set<Standing>();
  for (const v of values) {
    if (v === DEPRIVED_OF_LIBERTY_ALIAS) DEPRIVED_OF_LIBERTY.forEach((s) => wanted.add(s));
    else wanted.add(v);
  }
  return LISTED_STANDINGS.filter((s) => wanted.has(s));
}


const flag = (v: unknown): boolean => Number(v) === 1;
const nationalitiesOf = (stored: string): string[] => stored.split('|').filter((n) => n !== '');
const offencesOf = (stored: string | null): string[] => (stored ?? '').split(',').filter((o) => o !== '');


// ---------------------------------------------------------------------------------------------
// GET /cases

export interface CaseListFilter {
  /** Standings to keep (already expanded); empty or absent: all. */
  statuses?: readonly Standing[];
  /** ISO alpha-2, upper case: any of a dual national's nationalities. */
  nationality?: string;
  /** Exact facility (only people detained in one have a facility). */
  facility?: string;
  gender?: string;
  military?: boolean;
  minor?: boolean;
  /** Substring of the full name (case- and accent-insensitive) or of the external reference (case-insensitive). */
  search?: string;
}

export interface CaseListItem {
  caseId: string;
  fullName: string | null;
  /** Present, and true, when the person's personal data was erased (`fullName` is then null). */
  nameErased?: true;
  nameWithheld: boolean;
  nationalities: string[];
  gender: string;
  minor: boolean;
  military: boolean;
  externalReference: string | null;
  status: Standing;
  /** First day of the status interval standing on `asOf` (null while not detained). */
  statusSince: IsoDay | null;
  facility: string | null;
}

export interface CaseListPage {
  total: number;
  items: CaseListItem[];
}

/**
 * Cases known at `knownAt` (opened by then), each with its status interval standing on `asOf` as
 * known then (none: `not_detained`), filtered, ordered by name (withheld and erased names last) then
 * case id, one page of them.
 */
export async function listCases(
  ds: DataSource,
  q: TimeQuery,
  filter: CaseListFilter,
  page: { page: number; pageSize: number },
  names: NameReader,
): Promise<CaseListPage> {
  const all = await selectCases(ds, q, filter, names);
  const from = (page.page - 1) * page.pageSize;
  return { total: all.length, items: all.slice(from, from + page.pageSize) };
}

/** The case list's rows before names are opened: profiles joined with their status interval standing on `asOf`, filtered. */
export function caseListQuery(ds: DataSource, q: TimeQuery, filter: CaseListFilter): SelectQueryBuilder<ObjectLiteral> {
  let qb = ds
    .createQueryBuilder(CaseProfileEntity, 'p')
    .leftJoin(
      'status_intervals',
      'si',
      'si.case_id = p.case_id AND si.scope = :scope' +
        ' AND si.recorded_from <= :knownAt AND si.recorded_to > :knownAt' +
        ' AND si.valid_from <= :asOf AND si.valid_to > :asOf',
      { scope: q.scope, knownAt: q.knownAt, asOf: q.asOf },
    )
    .where('p.opened_at <= :knownAt', { knownAt: q.knownAt });
  const statuses = filter.statuses ?? [];
  if (statuses.length > 0) {
    const held = statuses.filter((s) => s !== 'not_detained');
    const notDetained = statuses.includes('not_detained');
    const clauses: string[] = [];
    if (held.length > 0) clauses.push('si.status IN (:...statuses)');
    if (notDetained) clauses.push('si.id IS NULL');
    qb = qb.andWhere(`(${clauses.join(' OR ')})`, { statuses: held });
  }
  if (filter.nationality !== undefined) {
    qb = qb.andWhere('EXISTS (SELECT 1 FROM case_nationalities n WHERE n.case_id = p.case_id AND n.nationality = :nationality)', {
      nationality: filter.nationality,
    });
  }
  if (filter.facility !== undefined) qb = qb.andWhere('si.facility = :facility', { facility: filter.facility });
  if (filter.gender !== undefined) qb = qb.andWhere('p.gender = :gender', { gender: filter.gender });
  if (filter.military !== undefined) qb = qb.andWhere(filter.military ? "p.affiliation = 'military'" : "p.affiliation <> 'military'");
  if (filter.minor !== undefined) qb = qb.andWhere('p.minor = :minor', { minor: filter.minor ? 1 : 0 });

  return qb
    .select('p.case_id', 'caseId')
    .addSelect('p.full_name', 'fullName')
    .addSelect('p.name_withheld', 'nameWithheld')
    .addSelect('p.nationalities', 'nationalities')
    .addSelect('p.gender', 'gender')
    .addSelect('p.minor', 'minor')
    .addSelect('p.affiliation', 'affiliation')
    .addSelect('p.external_reference', 'externalReference')
    .addSelect('si.status', 'status')
    .addSelect('si.status_since', 'statusSince')
    .addSelect('si.facility', 'facility');
}

/** Every case {@link listCases} would list, in its order (the export reads them all at once). */
export async function selectCases(ds: DataSource, q: TimeQuery, filter: CaseListFilter, names: NameReader): Promise<CaseListItem[]> {
  const rows: Record<string, unknown>[] = await caseListQuery(ds, q, filter).getRawMany();

  const named = await withNames(
    rows.map((r) => ({
      caseId: r['caseId'] as string,
      sealedName: (r['fullName'] as string | null) ?? null,
      nameWithheld: flag(r['nameWithheld']),
      nationalities: nationalitiesOf(r['nationalities'] as string),
      gender: r['gender'] as string,
      minor: flag(r['minor']),
      military: r['affiliation'] === 'military',
      externalReference: (r['externalReference'] as string | null) ?? null,
      status: ((r['status'] as Standing | null) ?? 'not_detained') as Standing,
      statusSince: (r['statusSince'] as string | null) ?? null,
      facility: (r['facility'] as string | null) ?? null,
    })),
    names,
  );
  // Member order as before: fullName second.
  let items: CaseListItem[] = named.map(({ caseId, fullName, nameErased, ...rest }) => ({ caseId, fullName, ...(nameErased ? { nameErased } : {}), ...rest }));
  if (filter.search !== undefined && filter.search !== '') {
    const needle = searchForm(filter.search);
    const reference = filter.search.toLowerCase();
    items = items.filter((i) => (i.fullName !== null && searchForm(i.fullName).includes(needle)) || (i.externalReference !== null && i.externalReference.toLowerCase().includes(reference)));
  }
  return items.sort((a, b) => byName(a.fullName, b.fullName) || byText(a.caseId, b.caseId));
}

// ---------------------------------------------------------------------------------------------
// GET /amnesty-requests

export const AMNESTY_REQUEST_STATES = ['pending', 'granted', 'denied', 'overdue'] as const;
export type AmnestyRequestState = (typeof AMNESTY_REQUEST_STATES)[number];

export interface AmnestyRequestItem {
  caseId: string;
  fullName: string | null;
  /** Present, and true, when the person's personal data was erased (`fullName` is then null). */
  nameErased?: true;
  requestId: string;
  /** `pending`, `appealed`, `granted` or `denied`. */
  status: string;
  filedOn: IsoDay;
  /** Filing day + 15, or the appeal's day + 15. */
  dueOn: IsoDay;
  /** Days past `dueOn` on `asOf` while undecided; 0 otherwise. */
  daysOverdue: number;
  overdue: boolean;
}

/** Amnesty-request statuses that still await a tribunal's decision. */
export const UNDECIDED_AMNESTY_STATUSES = ['pending', 'appealed'];

/**
 * Amnesty requests as they stood on `asOf`, as known at `knownAt`, sorted by due day. `pending`
 * includes appealed requests (both await a decision); `overdue` is an undecided request whose due
 * day is before `asOf` (the due day itself is still in time).
 */
export async function listAmnestyRequests(ds: DataSource, q: TimeQuery, state: AmnestyRequestState | undefined, names: NameReader): Promise<AmnestyRequestItem[]> {
  let qb = standingAt(
    ds
      .createQueryBuilder(AmnestyRequestIntervalEntity, 'ar')
      .innerJoin('case_profiles', 'p', 'p.case_id = ar.case_id')
      .select('ar.case_id', 'caseId')
      .addSelect('p.full_name', 'fullName')
      .addSelect('ar.request_id', 'requestId')
      .addSelect('ar.status', 'status')
      .addSelect('ar.filed_on', 'filedOn')
      .addSelect('ar.due_on', 'dueOn'),
    'ar',
    q,
  );
  if (state === 'pending') qb = qb.andWhere('ar.status IN (:...undecided)', { undecided: UNDECIDED_AMNESTY_STATUSES });
  if (state === 'granted' || state === 'denied') qb = qb.andWhere('ar.status = :state', { state });
  if (state === 'overdue') qb = qb.andWhere('ar.status IN (:...undecided) AND ar.due_on < :dueBefore', { undecided: UNDECIDED_AMNESTY_STATUSES, dueBefore: q.asOf });
  const rows: Record<string, string | null>[] = await qb.getRawMany();
  const items = await withNames(
    rows.map((r) => {
      const dueOn = r['dueOn']!;
      const overdue = UNDECIDED_AMNESTY_STATUSES.includes(r['status']!) && dueOn < q.asOf;
      return {
        caseId: r['caseId']!,
        sealedName: r['fullName'] ?? null,
        requestId: r['requestId']!,
        status: r['status']!,
        filedOn: r['filedOn']!,
        dueOn,
        daysOverdue: overdue ? daysBetween(dueOn, q.asOf) : 0,
        overdue,
      };
    }),
    names,
  );
  return items
    .sort((a, b) => byText(a.dueOn, b.dueOn) || byName(a.fullName, b.fullName) || byText(a.caseId, b.caseId) || byText(a.requestId, b.requestId))
    .map(({ caseId, fullName, nameErased, ...rest }) => ({ caseId, fullName, ...(nameErased ? { nameErased } : {}), ...rest }));
}

// ---------------------------------------------------------------------------------------------
// GET /amnesty-eligibility

export interface AmnestyEligibilityItem {
  caseId: string;
  fullName: string | null;
  /** Present, and true, when the person's personal data was erased (`fullName` is then null). */
  nameErased?: true;
  status: string;
  statusSince: IsoDay;
  facility: string | null;
  /** Charges the amnesty law excludes, as recorded by `asOf`. */
  excludedOffences: string[];
  eligible: boolean;
}

/**
 * People deprived of liberty on `asOf` for whom no amnesty request had been filed by `asOf` (as known
 * at `knownAt`, in the same verification scope): those without an excluded offence first, then the
 * longest in their status first.
 */
export async function amnestyEligibility(ds: DataSource, q: TimeQuery, names: NameReader): Promise<AmnestyEligibilityItem[]> {
  const rows: Record<string, string | null>[] = await standingAt(
    ds
      .createQueryBuilder(StatusIntervalEntity, 'si')
      .innerJoin('case_profiles', 'p', 'p.case_id = si.case_id')
      .select('si.case_id', 'caseId')
      .addSelect('p.full_name', 'fullName')
      .addSelect('si.status', 'status')
      .addSelect('si.status_since', 'statusSince')
      .addSelect('si.facility', 'facility')
      .addSelect('si.excluded_offences', 'excludedOffences')
      .where('si.status IN (:...deprived)', { deprived: [...DEPRIVED_OF_LIBERTY] })
      .andWhere(
        'NOT EXISTS (SELECT 1 FROM amnesty_request_intervals ar WHERE ar.case_id = si.case_id AND ar.scope = :arScope' +
          ' AND ar.recorded_from <= :arKnownAt AND ar.recorded_to > :arKnownAt AND ar.valid_from <= :arAsOf)',
        { arScope: q.scope, arKnownAt: q.knownAt, arAsOf: q.asOf },
      ),
    'si',
    q,
  ).getRawMany();
  const items = await withNames(
    rows.map((r) => {
      const excludedOffences = offencesOf(r['excludedOffences'] ?? null);
      return {
        caseId: r['caseId']!,
        sealedName: r['fullName'] ?? null,
        status: r['status']!,
        statusSince: r['statusSince']!,
        facility: r['facility'] ?? null,
        excludedOffences,
        eligible: excludedOffences.length === 0,
      };
    }),
    names,
  );
  return items
    .sort((a, b) => Number(!a.eligible) - Number(!b.eligible) || byText(a.statusSince, b.statusSince) || byName(a.fullName, b.fullName) || byText(a.caseId, b.caseId))
    .map(({ caseId, fullName, nameErased, ...rest }) => ({ caseId, fullName, ...(nameErased ? { nameErased } : {}), ...rest }));
}

// ---------------------------------------------------------------------------------------------
// GET /presentations/due

export interface PresentationItem {
  caseId: string;
  fullName: string | null;
  /** Present, and true, when the person's personal data was erased (`fullName` is then null). */
  nameErased?: true;
  reportEveryDays: number;
  /** The reporting anchor: the last attended presentation, or the release day when none yet. */
  lastReportedOn: IsoDay;
  dueOn: IsoDay;
}

export interface PresentationsDue {
  due: PresentationItem[];
  missed: PresentationItem[];
}

/**
 * The reporting rule, for someone in conditional release with an obligation every N days whose
 * anchor A is the last attended presentation (or the release day when none was attended since):
 *
 *   - the due days are A + k·N for k ≥ 1; the due day reported for `on` is the smallest A + k·N
 *     (k ≥ 1) that is ≥ on − (N − 1), i.e. the latest due day ≤ `on`, or the first one when A + N
 *     is still ahead;
 *   - **due** on `on`: that due day is `on` itself;
 *   - **missed**: the first due day A + N is before `on` (A + N < on). An attended presentation moves
 *     the anchor, so an unmoved anchor means no attended presentation since; a recorded missed
 *     presentation does not move it. `dueOn` is then A + N, the first day missed.
 *
 * Someone who missed A + N and is due again on A + 2N = `on` appears in both lists.
 * `q.asOf` is the day `on`: the status interval standing then, as known at `knownAt`, decides.
 */
export async function presentationsDue(ds: DataSource, q: TimeQuery, names: NameReader): Promise<PresentationsDue> {
  const on = q.asOf;
  const rows: Record<string, string | number | null>[] = await standingAt(
    ds
      .createQueryBuilder(StatusIntervalEntity, 'si')
      .innerJoin('case_profiles', 'p', 'p.case_id = si.case_id')
      .select('si.case_id', 'caseId')
      .addSelect('p.full_name', 'fullName')
      .addSelect('si.report_every_days', 'reportEveryDays')
      .addSelect('si.reporting_anchor', 'reportingAnchor')
      .where("si.status = 'conditional_release'")
      .andWhere('si.report_every_days IS NOT NULL AND si.reporting_anchor IS NOT NULL'),
    'si',
    q,
  ).getRawMany();
  const people = (
    await withNames(
      rows.map((r) => ({ caseId: r['caseId'] as string, sealedName: (r['fullName'] as string | null) ?? null, every: Number(r['reportEveryDays']), anchor: r['reportingAnchor'] as string })),
      names,
    )
  ).sort((a, b) => byName(a.fullName, b.fullName) || byText(a.caseId, b.caseId));

  const due: PresentationItem[] = [];
  const missed: PresentationItem[] = [];
  for (const { caseId, fullName, nameErased, every, anchor } of people) {
    if (!(every > 0)) continue;
    const person = { caseId, fullName, ...(nameErased ? { nameErased } : {}), reportEveryDays: every, lastReportedOn: anchor };
    const first = addDays(anchor, every);
    const k = Math.max(1, Math.ceil(daysBetween(anchor, addDays(on, -(every - 1))) / every));
    if (addDays(anchor, k * every) === on) due.push({ ...person, dueOn: on });
    if (first < on) missed.push({ ...person, dueOn: first });
  }
  missed.sort((a, b) => (a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : 0));
  return { due, missed };
}

// ---------------------------------------------------------------------------------------------
// GET /revolving-door

export interface RevolvingDoorItem {
  caseId: string;
  fullName: string | null;
  /** Present, and true, when the person's personal data was erased (`fullName` is then null). */
  nameErased?: true;
  /** `re_arrest`, or `disappearance` / `house_arrest` straight from liberty. */
  kind: string;
  releasedOn: IsoDay;
  reArrestedOn: IsoDay;
  daysBetween: number;
}

export interface RevolvingDoor {
  count: number;
  /** Median of `daysBetween` (the mean of the middle two for an even count); null when none. */
  medianDaysBetween: number | null;
  items: RevolvingDoorItem[];
}

/**
 * People taken back from liberty between two days (both included), as known at `knownAt`: re-arrests,
 * and disappearances or house arrests that followed a release directly (`days_since_release` set).
 */
export async function revolvingDoor(ds: DataSource, from: IsoDay, to: IsoDay, q: Pick<TimeQuery, 'knownAt' | 'scope'>, names: NameReader): Promise<RevolvingDoor> {
  const rows: Record<string, string | number | null>[] = await knownAt(
    ds
      .createQueryBuilder(FlowFactEntity, 'f')
      .innerJoin('case_profiles', 'p', 'p.case_id = f.case_id')
      .select('f.case_id', 'caseId')
      .addSelect('p.full_name', 'fullName')
      .addSelect('f.kind', 'kind')
      .addSelect('f.day', 'day')
      .addSelect('f.days_since_release', 'daysSinceRelease')
      .addSelect('f.recorded_from_position', 'recordedFromPosition')
      .where('f.day >= :from AND f.day <= :to', { from, to })
      // A re-arrest always follows a release, so its days_since_release is always set.
      .andWhere("f.kind IN ('re_arrest', 'disappearance', 'house_arrest') AND f.days_since_release IS NOT NULL"),
    'f',
    q,
  ).getRawMany();
  const named = await withNames(
    rows.map((r) => {
      const day = r['day'] as string;
      const days = Number(r['daysSinceRelease']);
      return {
        caseId: r['caseId'] as string,
        sealedName: (r['fullName'] as string | null) ?? null,
        kind: r['kind'] as string,
        releasedOn: addDays(day, -days),
        reArrestedOn: day,
        daysBetween: days,
        recordedFromPosition: Number(r['recordedFromPosition']),
      };
    }),
    names,
  );
  const items: RevolvingDoorItem[] = named
    .sort(
      (a, b) =>
        byText(a.reArrestedOn, b.reArrestedOn) || byName(a.fullName, b.fullName) || byText(a.caseId, b.caseId) || a.recordedFromPosition - b.recordedFromPosition,
    )
    .map(({ caseId, fullName, nameErased, recordedFromPosition: _position, ...rest }) => ({ caseId, fullName, ...(nameErased ? { nameErased } : {}), ...rest }));
  return { count: items.length, medianDaysBetween: median(items.map((i) => i.daysBetween)), items };
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
