import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock, IdGenerator } from '#domain';
import type { EventStore, JsonObject } from '#event-store';
import { ApplicationError, ApplicationErrorCode, type FieldError } from './application-error.js';
import type { CommandContext } from './case-command-executor.js';

/**
 * Access tokens: who may call the API, with which role. A token is 32 random bytes (256 bits) in
 * base64url after a readable prefix, shown once when issued; only its SHA-256 is kept. Issuing and
 * revoking are recorded in the event log (stream `access-token-<id>`), without the secret, so that
 * the audit log shows who was given which access, by whom and when.
 */

/** Every role, from the most to the least powerful. */
export const ROLES = ['admin', 'caseworker', 'auditor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (value: unknown): value is Role => typeof value === 'string' && (ROLES as readonly string[]).includes(value);

/** Readable prefix of every token this server generates (`pct_` + 43 base64url characters). */
export const ACCESS_TOKEN_PREFIX = 'pct_';
/** What a token given from outside (BOOTSTRAP_ADMIN_TOKEN) must look like: at least 43 base64url characters, optionally after `pct_`. */
export const ACCESS_TOKEN_PATTERN = /^(?:pct_[A-Za-z0-9_-]{43,256}|(?!pct_)[A-Za-z0-9_-]{43,256})$/;
/** A token name: who or what the token speaks for; the actor of everything done with it is `token:<name>`. */
export const ACCESS_TOKEN_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,99}$/;
export const ACCESS_TOKEN_STREAM_PREFIX = 'access-token-';
export const ACCESS_TOKEN_EVENT_TYPES = { issued: 'AccessTokenIssued', revoked: 'AccessTokenRevoked' } as const;
/** The actor of tokens the server creates by itself at start. */
export const BOOTSTRAP_ACTOR = 'system:bootstrap';
export const BOOTSTRAP_ADMIN_NAME = 'bootstrap-admin';

/** A row of the token table (`api_tokens`). Instants are ISO 8601 UTC with milliseconds. */
export interface AccessTokenRecord {
  id: string;
  name: string;
  role: Role;
  /** SHA-256 of the token, 64 lower-case hex digits. */
  tokenHash: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

/** The token table, kept in the read-model database but never rebuilt: it is not a projection. */
export interface AccessTokenStore {
  /** Inserts a new token; fails if its hash is already known. */
  insert(record: AccessTokenRecord): Promise<void>;
  /** Removes a token that was never handed out (its issue could not be recorded). */
  remove(id: string): Promise<void>;
  findByHash(tokenHash: string): Promise<AccessTokenRecord | null>;
  findById(id: string): Promise<AccessTokenRecord | null>;
  /** Every token, oldest first. */
  list(): Promise<AccessTokenRecord[]>;
  /** Sets `revokedAt` unless already set; true when this call revoked it. */
  markRevoked(id: string, revokedAt: string): Promise<boolean>;
  /** True when an admin token is neither revoked nor expired at `now`. */
  hasActiveAdmin(now: string): Promise<boolean>;
}

export type AccessTokenStatus = 'active' | 'expired' | 'revoked';

/** What may be shown about a token: never the token, never its hash. */
export interface AccessTokenSummary {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  status: AccessTokenStatus;
}

/** The caller, once its token is verified. */
export interface AuthenticatedCaller {
  tokenId: string;
  name: string;
  role: Role;
  /** `token:<name>`: the actor recorded in events and in the access log. */
  actor: string;
  /** When the token stops working (a browser session never outlives it); null for a token that does not expire. */
  expiresAt: string | null;
}

export interface IssueAccessToken {
  role: Role;
  name: string;
  /** ISO instant; null or absent for a token that does not expire. */
  expiresAt?: string | null;
}

export interface IssuedAccessToken {
  id: string;
  /** The secret, shown this once. */
  token: string;
  summary: AccessTokenSummary;
}

/** What a start did about the first admin. */
export type BootstrapOutcome =
  | { kind: 'created-from-setting'; id: string }
  | { kind: 'generated'; id: string; token: string }
  | { kind: 'setting-already-known'; id: string; status: AccessTokenStatus }
  | { kind: 'setting-ignored-admin-exists' }
  | { kind: 'admin-exists' };

type Context = Pick<CommandContext, 'actor' | 'correlationId' | 'causationId'>;

/** `sha256(token)` as 64 lower-case hex digits. */
export function hashAccessToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A new token: `pct_` and 32 random bytes in base64url (43 characters). */
export function generateAccessToken(random: (size: number) => Buffer = randomBytes): string {
  return ACCESS_TOKEN_PREFIX + random(32).toString('base64url');
}

export const actorOfToken = (name: string): string => `token:${name}`;

/** The id of the admin generated by the `n`-th bootstrap (n from 0): the same in every process, a UUID in form. */
export function bootstrapTokenId(n: number): string {
  const hex = createHash('sha256').update(`${BOOTSTRAP_ADMIN_NAME}:${n}`, 'utf8').digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export class AccessTokens {
  constructor(
    private readonly tokens: AccessTokenStore,
    private readonly events: EventStore,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly random: (size: number) => Buffer = randomBytes,
  ) {}

  /** Issues a token and records `AccessTokenIssued`; the token itself is returned this once. */
  async issue(input: IssueAccessToken, context: Context): Promise<IssuedAccessToken> {
    const now = this.clock.now();
    const errors: FieldError[] = [];
    if (!isRole(input.role)) errors.push({ field: 'role', messages: [`role must be one of ${ROLES.join(', ')}`] });
    if (typeof input.name !== 'string' || !ACCESS_TOKEN_NAME_PATTERN.test(input.name)) {
      errors.push({ field: 'name', messages: ['name must be 1 to 100 characters among letters, digits, ".", "_", "@", "+" and "-", starting with a letter or digit'] });
    }
    let expiresAt: string | null = null;
    if (input.expiresAt !== undefined && input.expiresAt !== null) {
      const at = new Date(input.expiresAt);
      if (Number.isNaN(at.getTime())) errors.push({ field: 'expiresAt', messages: ['expiresAt must be an ISO 8601 instant'] });
      else if (at.getTime() <= now.getTime()) errors.push({ field: 'expiresAt', messages: ['expiresAt must be in the future'] });
      else expiresAt = at.toISOString();
    }
    if (errors.length > 0) throw ApplicationError.validationFailed(errors);
    return this.create({ role: input.role, name: input.name, expiresAt }, generateAccessToken(this.random), now, context);
  }

  /**
   * The caller a bearer token stands for, or null when the token is unknown, revoked or expired.
   * The hash found by the index is compared again in constant time.
   */
  async verify(token: string): Promise<AuthenticatedCaller | null> {
    if (!ACCESS_TOKEN_PATTERN.test(token)) return null;
    const hash = hashAccessToken(token);
    const record = await this.tokens.findByHash(hash);
    if (!record || !sameHash(record.tokenHash, hash)) return null;
    if (statusOf(record, this.clock.now()) !== 'active') return null;
    return { tokenId: record.id, name: record.name, role: record.role, actor: actorOfToken(record.name), expiresAt: record.expiresAt };
  }

  /** Revokes a token (at once: the next request with it is refused) and records `AccessTokenRevoked`. Revoking twice changes nothing. */
  async revoke(id: string, context: Context): Promise<AccessTokenSummary> {
    const record = await this.tokens.findById(id);
    if (!record) throw new ApplicationError(ApplicationErrorCode.AccessTokenNotFound, `There is no access token ${id}.`);
    const now = this.clock.now();
    if (await this.tokens.markRevoked(id, now.toISOString())) {
      await this.record(record, ACCESS_TOKEN_EVENT_TYPES.revoked, { tokenId: record.id, name: record.name, role: record.role }, now, context);
    }
    return summarize((await this.tokens.findById(id)) ?? record, now);
  }

  async list(): Promise<AccessTokenSummary[]> {
    const now = this.clock.now();
    return (await this.tokens.list()).map((r) => summarize(r, now));
  }

  /**
   * The first admin. With a configured token (`BOOTSTRAP_ADMIN_TOKEN`): creates it unless it is
   * already known (a revoked one stays revoked) or another admin is active. Without one, and with no
   * active admin: generates a token, to be shown once by the caller.
   */
  async bootstrapAdmin(configured: string | undefined): Promise<BootstrapOutcome> {
    const now = this.clock.now();
    const context: Context = { actor: BOOTSTRAP_ACTOR, correlationId: `bootstrap-${this.ids.next()}`, causationId: null };
    const spec = { role: 'admin' as const, name: BOOTSTRAP_ADMIN_NAME, expiresAt: null };
    if (configured !== undefined) {
      if (!ACCESS_TOKEN_PATTERN.test(configured)) throw new Error('BOOTSTRAP_ADMIN_TOKEN must be at least 43 base64url characters, optionally after pct_');
      const known = async () => {
        const existing = await this.tokens.findByHash(hashAccessToken(configured));
        return existing ? ({ kind: 'setting-already-known', id: existing.id, status: statusOf(existing, now) } as const) : null;
      };
      const already = await known();
      if (already) return already;
      if (await this.tokens.hasActiveAdmin(now.toISOString())) return { kind: 'setting-ignored-admin-exists' };
      try {
        const { id } = await this.create(spec, configured, now, context);
        return { kind: 'created-from-setting', id };
      } catch (error) {
        // Another process sharing the database created it at the same moment.
        const raced = await known();
        if (raced) return raced;
        throw error;
      }
    }
    if (await this.tokens.hasActiveAdmin(now.toISOString())) return { kind: 'admin-exists' };
    // Processes starting together on one database all see no admin. Each tries the same id (one per
    // bootstrap so far), the table's primary key lets one through, and the others find its admin:
    // one token is generated and printed, not one per process.
    const earlier = (await this.tokens.list()).filter((r) => r.name === BOOTSTRAP_ADMIN_NAME).length;
    const token = generateAccessToken(this.random);
    try {
      const { id } = await this.create(spec, token, now, context, bootstrapTokenId(earlier));
      return { kind: 'generated', id, token };
    } catch (error) {
      if (await this.tokens.hasActiveAdmin(now.toISOString())) return { kind: 'admin-exists' };
      throw error;
    }
  }

  private async create(
    spec: { role: Role; name: string; expiresAt: string | null },
    token: string,
    now: Date,
    context: Context,
    id: string = this.ids.next(),
  ): Promise<IssuedAccessToken> {
    const record: AccessTokenRecord = {
      id,
      name: spec.name,
      role: spec.role,
      tokenHash: hashAccessToken(token),
      createdAt: now.toISOString(),
      expiresAt: spec.expiresAt,
      revokedAt: null,
    };
    await this.tokens.insert(record);
    try {
      await this.record(record, ACCESS_TOKEN_EVENT_TYPES.issued, { tokenId: record.id, name: record.name, role: record.role, expiresAt: record.expiresAt }, now, context);
    } catch (error) {
      // A token whose issue is not in the log is never handed out.
      await this.tokens.remove(record.id).catch(() => undefined);
      throw error;
    }
    return { id: record.id, token, summary: summarize(record, now) };
  }

  private async record(token: AccessTokenRecord, type: string, data: JsonObject, now: Date, context: Context): Promise<void> {
    const streamId = `${ACCESS_TOKEN_STREAM_PREFIX}${token.id}`;
    const version = (await this.events.readStream(streamId)).length;
    const commandId = this.ids.next();
    await this.events.append(
      streamId,
      [
        {
          eventId: this.ids.next(),
          type,
          schemaVersion: 1,
          data,
          personal: null,
          metadata: {
            occurredOn: now.toISOString(),
            datePrecision: 'day',
            source: null,
            verification: 'confirmed',
            actor: context.actor,
            commandId,
            correlationId: context.correlationId,
            causationId: context.causationId,
          },
        },
      ],
      { expectedVersion: version, commandId },
    );
  }
}

export function statusOf(record: Pick<AccessTokenRecord, 'expiresAt' | 'revokedAt'>, now: Date): AccessTokenStatus {
  if (record.revokedAt !== null) return 'revoked';
  if (record.expiresAt !== null && Date.parse(record.expiresAt) <= now.getTime()) return 'expired';
  return 'active';
}

function summarize(record: AccessTokenRecord, now: Date): AccessTokenSummary {
  return {
    id: record.id,
    name: record.name,
    role: record.role,
    createdAt: record.createdAt,
    expiresAt: record.expiresAt,
    revokedAt: record.revokedAt,
    status: statusOf(record, now),
  };
}

function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && left.length === 32 && timingSafeEqual(left, right);
}
