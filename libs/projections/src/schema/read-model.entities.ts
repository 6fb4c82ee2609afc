import { EntitySchema } from 'typeorm';
import { AccessTokenEntity } from './access-token.entity.js';

/**
 * Read models. Every projected row is bitemporal: `validFrom`/`validTo` (days in the world) and
 * `recordedFrom`/`recordedTo` (when the record came to say so, and when it stopped saying so),
 * with the log positions of both ends. Nothing is updated but the closing of `recordedTo`, so any
 * earlier answer can be reproduced exactly.
 */
export const OPEN_DAY = '9999-12-31';
export const OPEN_INSTANT = '9999-12-31T23:59:59.999Z';
export const OPEN_POSITION = Number.MAX_SAFE_INTEGER;

/** bigint columns come back as strings from PostgreSQL; positions fit in a JS number. */
const positionTransformer = { to: (v: number) => v, from: (v: string | number) => Number(v) };
/** Flags are stored as 0/1 so that the same SQL binds on SQLite and PostgreSQL. */
const flag = (name?: string) =>
  ({ ...(name ? { name } : {}), type: 'smallint', transformer: { to: (v: boolean) => (v ? 1 : 0), from: (v: number) => v === 1 } }) as const;

export interface ProjectionCheckpoint {
  name: string;
  position: number;
  updatedAt: string;
}
export const ProjectionCheckpointEntity = new EntitySchema<ProjectionCheckpoint>({
  name: 'ProjectionCheckpoint',
  tableName: 'projection_checkpoints',
  columns: {
    name: { type: 'varchar', length: 100, primary: true },
    position: { type: 'bigint', transformer: positionTransformer },
    updatedAt: { name: 'updated_at', type: 'varchar', length: 30 },
  },
});

export interface CaseProfileRow {
  caseId: string;
  /**
   * Not a name in clear: the JSON text of the stored `CaseOpened.personal`, an encrypted envelope
   * (`{"$enc":"aes-256-gcm","kid":…,"iv":…,"tag":…,"ct":…}`) holding `{fullName, birthYear, notes}`.
   * Queries open it through the application's codec; after an erasure it no longer opens.
   */
  fullName: string | null;
  nameWithheld: boolean;
  /** `|ES|VE|`, so that a LIKE '%|ES|%' finds a nationality among several. */
  nationalities: string;
  foreignNational: boolean;
  gender: string;
  minor: boolean;
  affiliation: string;
  externalReference: string | null;
  openedPosition: number;
  openedAt: string;
}
export const CaseProfileEntity = new EntitySchema<CaseProfileRow>({
  name: 'CaseProfile',
  tableName: 'case_profiles',
  columns: {
    caseId: { name: 'case_id', type: 'varchar', length: 36, primary: true },
    fullName: { name: 'full_name', type: 'text', nullable: true },
    nameWithheld: flag('name_withheld'),
    nationalities: { type: 'varchar', length: 64 },
    foreignNational: flag('foreign_national'),
    gender: { type: 'varchar', length: 16 },
    minor: flag(),
    affiliation: { type: 'varchar', length: 16 },
    externalReference: { name: 'external_reference', type: 'varchar', length: 200, nullable: true },
    openedPosition: { name: 'opened_position', type: 'bigint', transformer: positionTransformer },
    openedAt: { name: 'opened_at', type: 'varchar', length: 30 },
  },
});

export interface CaseNationalityRow {
  caseId: string;
  nationality: string;
}
export const CaseNationalityEntity = new EntitySchema<CaseNationalityRow>({
  name: 'CaseNationality',
  tableName: 'case_nationalities',
  columns: {
    caseId: { name: 'case_id', type: 'varchar', length: 36, primary: true },
    nationality: { type: 'varchar', length: 2, primary: true },
  },
});

/** Columns shared by every bitemporal row. */
export interface Bitemporal {
  id?: number;
  caseId: string;
  /** `all`, or `confirmed` for the rows that count only confirmed events. */
  scope: string;
  recordedFrom: string;
  recordedFromPosition: number;
  recordedTo: string;
  recordedToPosition: number;
}
const bitemporalColumns = {
  id: { type: 'integer', primary: true, generated: 'increment' },
  caseId: { name: 'case_id', type: 'varchar', length: 36 },
  scope: { type: 'varchar', length: 10 },
  recordedFrom: { name: 'recorded_from', type: 'varchar', length: 30 },
  recordedFromPosition: { name: 'recorded_from_position', type: 'bigint', transformer: positionTransformer },
  recordedTo: { name: 'recorded_to', type: 'varchar', length: 30 },
  recordedToPosition: { name: 'recorded_to_position', type: 'bigint', transformer: positionTransformer },
} as const;

export interface StatusIntervalRow extends Bitemporal {
  status: string;
  validFrom: string;
  validTo: string;
  statusSince: string;
  facility: string | null;
  sentenced: boolean;
  excludedOffences: string;
  reportEveryDays: number | null;
  reportingAnchor: string | null;
  onHungerStrike: boolean;
}
export const StatusIntervalEntity = new EntitySchema<StatusIntervalRow>({
  name: 'StatusInterval',
  tableName: 'status_intervals',
  columns: {
    ...bitemporalColumns,
    status: { type: 'varchar', length: 24 },
    validFrom: { name: 'valid_from', type: 'varchar', length: 10 },
    validTo: { name: 'valid_to', type: 'varchar', length: 10 },
    statusSince: { name: 'status_since', type: 'varchar', length: 10 },
    facility: { type: 'varchar', length: 200, nullable: true },
    sentenced: flag(),
    excludedOffences: { name: 'excluded_offences', type: 'varchar', length: 200 },
    reportEveryDays: { name: 'report_every_days', type: 'integer', nullable: true },
    reportingAnchor: { name: 'reporting_anchor', type: 'varchar', length: 10, nullable: true },
    onHungerStrike: flag('on_hunger_strike'),
  },
});

export interface FlowFactRow extends Bitemporal {
  eventId: string;
  kind: string;
  day: string;
  legalBasis: string | null;
  conditional: boolean;
  daysSinceRelease: number | null;
  requestId: string | null;
}
export const FlowFactEntity = new EntitySchema<FlowFactRow>({
  name: 'FlowFact',
  tableName: 'flow_facts',
  columns: {
    ...bitemporalColumns,
    eventId: { name: 'event_id', type: 'varchar', length: 36 },
    kind: { type: 'varchar', length: 32 },
    day: { type: 'varchar', length: 10 },
    legalBasis: { name: 'legal_basis', type: 'varchar', length: 32, nullable: true },
    conditional: flag(),
    daysSinceRelease: { name: 'days_since_release', type: 'integer', nullable: true },
    requestId: { name: 'request_id', type: 'varchar', length: 36, nullable: true },
  },
});

export interface AmnestyRequestIntervalRow extends Bitemporal {
  requestId: string;
  status: string;
  filedOn: string;
  dueOn: string;
  validFrom: string;
  validTo: string;
}
export const AmnestyRequestIntervalEntity = new EntitySchema<AmnestyRequestIntervalRow>({
  name: 'AmnestyRequestInterval',
  tableName: 'amnesty_request_intervals',
  columns: {
    ...bitemporalColumns,
    requestId: { name: 'request_id', type: 'varchar', length: 36 },
    status: { type: 'varchar', length: 16 },
    filedOn: { name: 'filed_on', type: 'varchar', length: 10 },
    dueOn: { name: 'due_on', type: 'varchar', length: 10 },
    validFrom: { name: 'valid_from', type: 'varchar', length: 10 },
    validTo: { name: 'valid_to', type: 'varchar', length: 10 },
  },
});

export interface PublishedFigureRow {
  figureId: string;
  sourceKind: string;
  sourceName: string;
  metric: string;
  value: number;
  since: string | null;
  asOf: string;
  reference: string | null;
  recordedAt: string;
  position: number;
}
export const PublishedFigureEntity = new EntitySchema<PublishedFigureRow>({
  name: 'PublishedFigure',
  tableName: 'published_figures',
  columns: {
    figureId: { name: 'figure_id', type: 'varchar', length: 36, primary: true },
    sourceKind: { name: 'source_kind', type: 'varchar', length: 32 },
    sourceName: { name: 'source_name', type: 'varchar', length: 200 },
    metric: { type: 'varchar', length: 64 },
    value: { type: 'integer' },
    since: { type: 'varchar', length: 10, nullable: true },
    asOf: { name: 'as_of', type: 'varchar', length: 10 },
    reference: { type: 'text', nullable: true },
    recordedAt: { name: 'recorded_at', type: 'varchar', length: 30 },
    position: { type: 'bigint', transformer: positionTransformer },
  },
});

export interface AuditLogRow {
  position: number;
  eventId: string;
  streamId: string;
  caseId: string | null;
  type: string;
  actor: string;
  recordedAt: string;
  occurredOn: string;
  correlationId: string;
  commandId: string;
}
export const AuditLogEntity = new EntitySchema<AuditLogRow>({
  name: 'AuditLog',
  tableName: 'audit_log',
  columns: {
    position: { type: 'bigint', primary: true, transformer: positionTransformer },
    eventId: { name: 'event_id', type: 'varchar', length: 36 },
    streamId: { name: 'stream_id', type: 'varchar', length: 200 },
    caseId: { name: 'case_id', type: 'varchar', length: 36, nullable: true },
    type: { type: 'varchar', length: 64 },
    actor: { type: 'varchar', length: 200 },
    recordedAt: { name: 'recorded_at', type: 'varchar', length: 30 },
    occurredOn: { name: 'occurred_on', type: 'varchar', length: 40 },
    correlationId: { name: 'correlation_id', type: 'varchar', length: 200 },
    commandId: { name: 'command_id', type: 'varchar', length: 200 },
  },
});

/** Who read which case's personal data, and when. Append-only; a rebuild never touches it. */
export interface AccessLogRow {
  id?: number;
  readAt: string;
  actor: string;
  caseId: string;
  route: string;
  correlationId: string;
}
export const AccessLogEntity = new EntitySchema<AccessLogRow>({
  name: 'AccessLog',
  tableName: 'access_log',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    readAt: { name: 'read_at', type: 'varchar', length: 30 },
    actor: { type: 'varchar', length: 200 },
    caseId: { name: 'case_id', type: 'varchar', length: 36 },
    route: { type: 'varchar', length: 200 },
    correlationId: { name: 'correlation_id', type: 'varchar', length: 200 },
  },
});

export const READ_MODEL_ENTITIES = [
  AccessTokenEntity,
  AuditLogEntity,
  AccessLogEntity,
  ProjectionCheckpointEntity,
  CaseProfileEntity,
  CaseNationalityEntity,
  StatusIntervalEntity,
  FlowFactEntity,
  AmnestyRequestIntervalEntity,
  PublishedFigureEntity,
];
