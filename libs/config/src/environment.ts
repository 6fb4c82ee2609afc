import 'reflect-metadata';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsEnum,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsTimeZone,
  Matches,
  Max,
  Min,
  validateSync,
  ValidateIf,
  type ValidationError,
} from 'class-validator';

/** Event store adapters: SQLite embedded (the default), PostgreSQL, KurrentDB (EventStoreDB). */
export enum EventStoreKind {
  Sqlite = 'sqlite',
  Postgres = 'postgres',
  KurrentDb = 'kurrentdb',
}

/** Where projections run: inside the API (the embedded default) or in a separate projector process. */
export enum ProjectionsMode {
  InProcess = 'in-process',
  External = 'external',
}

const POSTGRES_URL = /^postgres(ql)?:\/\/\S+$/;
const KURRENTDB_URL = /^(kurrentdb|esdb|kdb)(\+discover)?:\/\/\S+$/;
const SQL_IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** Nest log levels, from the most to the least severe. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogLevelSetting = (typeof LOG_LEVELS)[number];

/** A size as the body parser reads it: `100kb`, `1mb`, `512` (bytes)... */
const BYTE_SIZE = /^\d+(\.\d+)?\s*(b|kb|mb|gb)?$/i;

/** Strings made only of digits become numbers; anything else stays as it is, so validation names it. */
const toInteger = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value) ? Number(value) : value;

/**
 * The settings of the API, read from environment variables. Every property has the name of its
 * variable; defaults are the property initialisers.
 */
export class Environment {
  // Decorators apply bottom-up and the first failing rule is reported: the type first, then the range.
  @Max(65535)
  @Min(1)
  @IsInt()
  @Transform(toInteger)
  PORT: number = 3000;

  @IsNotEmpty()
  @IsString()
  DATA_DIR: string = './data';

  /** IANA zone in which calendar dates (`occurredOn`, "today") are read. */
  @IsTimeZone()
  TIME_ZONE: string = 'America/Caracas';

  @IsEnum(EventStoreKind)
  EVENT_STORE: EventStoreKind = EventStoreKind.Sqlite;

  /**
   * PostgreSQL: the event store when EVENT_STORE=postgres, and the read models whenever the event
   * store is not the embedded SQLite one (several processes must share them).
   */
  @ValidateIf((e: Environment) => e.EVENT_STORE === EventStoreKind.Postgres || e.EVENT_STORE === EventStoreKind.KurrentDb || e.DATABASE_URL !== undefined)
  @Matches(POSTGRES_URL, { message: '$property must be a postgres:// URL (required when EVENT_STORE is postgres or kurrentdb)' })
  DATABASE_URL?: string;

  /** PostgreSQL schema that holds this deployment's tables. */
  @Matches(SQL_IDENTIFIER, { message: '$property must be a lower-case SQL identifier' })
  DATABASE_SCHEMA: string = 'public';

  /** KurrentDB connection string, required when EVENT_STORE=kurrentdb. */
  @ValidateIf((e: Environment) => e.EVENT_STORE === EventStoreKind.KurrentDb || e.KURRENTDB_URL !== undefined)
  @Matches(KURRENTDB_URL, { message: '$property must be a kurrentdb:// connection string (required when EVENT_STORE is kurrentdb)' })
  KURRENTDB_URL?: string;

  /** `external` when a projector process (apps/projector) runs the projections. */
  @IsEnum(ProjectionsMode)
  PROJECTIONS: ProjectionsMode = ProjectionsMode.InProcess;

  /** Largest accepted JSON body, in the body parser's notation. */
  @Matches(BYTE_SIZE, { message: '$property must be a size such as 512, 100kb or 1mb' })
  BODY_LIMIT: string = '100kb';

  /** Most verbose level logged; when unset, Nest's defaults apply. */
  @IsOptional()
  @IsIn(LOG_LEVELS)
  LOG_LEVEL?: LogLevelSetting;
}

/** The names of the variables read, i.e. the properties of {@link Environment}. */
export const ENVIRONMENT_VARIABLES = [
  'PORT',
  'DATA_DIR',
  'TIME_ZONE',
  'EVENT_STORE',
  'DATABASE_URL',
  'DATABASE_SCHEMA',
  'KURRENTDB_URL',
  'PROJECTIONS',
  'BODY_LIMIT',
  'LOG_LEVEL',
] as const satisfies readonly (keyof Environment)[];

export interface InvalidSetting {
  setting: string;
  messages: string[];
}

/** Thrown when one or more settings are invalid; the message names every one of them and why. */
export class InvalidEnvironmentError extends Error {
  constructor(readonly settings: InvalidSetting[]) {
    super(
      `Invalid environment: ${settings
        .map((s) => s.messages.join('; '))
        .join('; ')}`,
    );
    this.name = 'InvalidEnvironmentError';
  }
}

/**
 * Reads and validates the settings. Only the variables of {@link ENVIRONMENT_VARIABLES} are read;
 * an unset variable takes its default, a set one (even empty) must be valid.
 */
export function loadEnvironment(env: NodeJS.ProcessEnv = process.env): Environment {
  const plain: Record<string, string> = {};
  for (const name of ENVIRONMENT_VARIABLES) {
    const value = env[name];
    if (value !== undefined) plain[name] = value;
  }
  const environment = plainToInstance(Environment, plain);
  const errors = validateSync(environment, { stopAtFirstError: true, forbidUnknownValues: true });
  if (errors.length > 0) throw new InvalidEnvironmentError(errors.map(toInvalidSetting));
  return environment;
}

function toInvalidSetting(error: ValidationError): InvalidSetting {
  return { setting: error.property, messages: Object.values(error.constraints ?? {}) };
}

/** The Nest log levels to enable for a `LOG_LEVEL`: that level and every more severe one. */
export function logLevelsFor(level: LogLevelSetting): LogLevelSetting[] {
  return LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(level) + 1);
}
