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
  Validate,
  ValidateIf,
  ValidatorConstraint,
  type ValidationArguments,
  type ValidationError,
  type ValidatorConstraintInterface,
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
/** The base64 text of exactly 32 bytes (`openssl rand -base64 32`). */
const MASTER_KEY_TEXT = /^\s*[A-Za-z0-9+/]{43}=\s*$/;

/** Two settings that say the same thing differently: only one may be set. */
@ValidatorConstraint({ name: 'notTogetherWith' })
class NotTogetherWith implements ValidatorConstraintInterface {
  validate(_value: unknown, args: ValidationArguments): boolean {
    return (args.object as Record<string, unknown>)[args.constraints[0] as string] === undefined;
  }
  defaultMessage(args: ValidationArguments): string {
    return `set ${args.constraints[0] as string} or ${args.property}, not both`;
  }
}

/** Nest log levels, from the most to the least severe. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogLevelSetting = (typeof LOG_LEVELS)[number];

/** An access token given from outside: 43+ base64url characters (256 bits), optionally after `pct_`. */
const BOOTSTRAP_TOKEN = /^(?:pct_[A-Za-z0-9_-]{43,256}|(?!pct_)[A-Za-z0-9_-]{43,256})$/;
/** `https://a.example.org, http://localhost:5173`: scheme, host and optional port, nothing else. */
const ORIGIN = String.raw`https?://[A-Za-z0-9.-]+(?::\d{1,5})?`;
const ORIGIN_LIST = new RegExp(String.raw`^\s*${ORIGIN}\s*(?:,\s*${ORIGIN}\s*)*$`);
const PROXY = String.raw`(?:loopback|linklocal|uniquelocal|[0-9A-Fa-f.:]+(?:/\d{1,3})?)`;
const TRUST_PROXY = new RegExp(String.raw`^(?:\d{1,2}|\s*${PROXY}\s*(?:,\s*${PROXY}\s*)*)$`);

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

  /**
   * The master key that wraps every person's data key (base64 of 32 bytes). Required, or
   * MASTER_KEY_FILE, with the postgres and kurrentdb stores; the embedded default generates
   * `DATA_DIR/master.key` on first run when neither is set.
   */
  @ValidateIf(
    (e: Environment) =>
      e.MASTER_KEY !== undefined || ((e.EVENT_STORE === EventStoreKind.Postgres || e.EVENT_STORE === EventStoreKind.KurrentDb) && e.MASTER_KEY_FILE === undefined),
  )
  @Matches(MASTER_KEY_TEXT, {
    message: '$property must be the base64 text of 32 random bytes, such as the output of `openssl rand -base64 32` (MASTER_KEY or MASTER_KEY_FILE is required when EVENT_STORE is postgres or kurrentdb)',
  })
  MASTER_KEY?: string;

  /** A file holding the master key's base64 text (a Docker or Kubernetes secret); it must exist. */
  @ValidateIf((e: Environment) => e.MASTER_KEY_FILE !== undefined)
  @Validate(NotTogetherWith, ['MASTER_KEY'])
  @IsNotEmpty()
  @IsString()
  MASTER_KEY_FILE?: string;

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

  /**
   * The first admin's access token (at least 43 base64url characters, optionally after `pct_`):
   * created at start when no token has this value and no admin is active. When unset and no admin
   * is active, the server creates one and prints its token once.
   */
  @IsOptional()
  @Matches(BOOTSTRAP_TOKEN, { message: '$property must be at least 43 base64url characters (A-Z, a-z, 0-9, "-", "_"), optionally after pct_, such as the output of `openssl rand 32 | basenc --base64url`' })
  BOOTSTRAP_ADMIN_TOKEN?: string;

  /** Requests each access token (or, before authentication, each client address) may make per minute. */
  @Min(1)
  @IsInt()
  @Transform(toInteger)
  RATE_LIMIT_PER_MINUTE: number = 6000;

  /** Failed authentications (an unknown, revoked or expired token) one client address may make per minute before it gets 429. */
  @Min(1)
  @IsInt()
  @Transform(toInteger)
  AUTH_FAILURES_PER_MINUTE: number = 30;

  /** Comma-separated origins (`https://tracker.example.org`) allowed to call the API from a browser; no CORS when unset. */
  @IsOptional()
  @Matches(ORIGIN_LIST, { message: '$property must be a comma-separated list of origins such as https://tracker.example.org' })
  CORS_ORIGINS?: string;

  /**
   * Which proxies in front (TLS terminators) to trust for the client address (`X-Forwarded-For`):
   * a number of hops, or comma-separated addresses, subnets, `loopback`, `linklocal`, `uniquelocal`.
   * Unset: the address of the connection, which behind a proxy is the proxy's.
   */
  @IsOptional()
  @Matches(TRUST_PROXY, { message: '$property must be a number of hops or comma-separated addresses, subnets, loopback, linklocal or uniquelocal' })
  TRUST_PROXY?: string;
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
  'MASTER_KEY',
  'MASTER_KEY_FILE',
  'PROJECTIONS',
  'BODY_LIMIT',
  'LOG_LEVEL',
  'BOOTSTRAP_ADMIN_TOKEN',
  'RATE_LIMIT_PER_MINUTE',
  'AUTH_FAILURES_PER_MINUTE',
  'CORS_ORIGINS',
  'TRUST_PROXY',
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

/** The origins of `CORS_ORIGINS`, trimmed (empty when unset). */
export function corsOrigins(env: Pick<Environment, 'CORS_ORIGINS'>): string[] {
  return (env.CORS_ORIGINS ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o !== '');
}

/** `TRUST_PROXY` as Express's `trust proxy` setting: a number of hops, or the list of trusted addresses. */
export function trustProxySetting(value: string): number | string[] {
  return /^\d+$/.test(value) ? Number(value) : value.split(',').map((p) => p.trim());
}

/** The Nest log levels to enable for a `LOG_LEVEL`: that level and every more severe one. */
export function logLevelsFor(level: LogLevelSetting): LogLevelSetting[] {
  return LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(level) + 1);
}
