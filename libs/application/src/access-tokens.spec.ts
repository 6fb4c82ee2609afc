import { createHash } from 'node:crypto';
import { SqliteEventStore } from '#event-store';
import {
  ACCESS_TOKEN_PATTERN,
  AccessTokens,
  bootstrapTokenId,
  generateAccessToken,
  hashAccessToken,
  type AccessTokenRecord,
  type AccessTokenStore,
} from './access-tokens.js';
import { ApplicationError, ApplicationErrorCode } from './application-error.js';

/** The token table in memory, with the primary key and the unique hash the real one has. */
class MemoryTokenStore implements AccessTokenStore {
  readonly rows: AccessTokenRecord[] = [];
  async insert(record: AccessTokenRecord): Promise<void> {
    if (this.rows.some((r) => r.id === record.id)) throw new Error('UNIQUE constraint failed: api_tokens.id');
    if (this.rows.some((r) => r.tokenHash === record.tokenHash)) throw new Error('UNIQUE constraint failed: api_tokens.token_hash');
    this.rows.push({ ...record });
  }
  async remove(id: string): Promise<void> {
    this.rows.splice(this.rows.findIndex((r) => r.id === id), 1);
  }
  async findByHash(tokenHash: string) {
    return this.rows.find((r) => r.tokenHash === tokenHash) ?? null;
  }
  async findById(id: string) {
    return this.rows.find((r) => r.id === id) ?? null;
  }
  async list() {
    return [...this.rows];
  }
  async markRevoked(id: string, revokedAt: string) {
    const row = this.rows.find((r) => r.id === id && r.revokedAt === null);
    if (row) row.revokedAt = revokedAt;
    return row !== undefined;
  }
  async hasActiveAdmin(now: string) {
    return this.rows.some((r) => r.role === 'admin' && r.revokedAt === null && (r.expiresAt === null || r.expiresAt > now));
  }
}

const CONTEXT = { actor: 'token:root', correlationId: 'corr-1', causationId: null };

describe('AccessTokens', () => {
  let now: Date;
  let n: number;
  let table: MemoryTokenStore;
  let store: SqliteEventStore;
  let tokens: AccessTokens;
  beforeEach(() => {
    now = new Date('2026-03-01T12:00:00Z');
    n = 0;
    table = new MemoryTokenStore();
    store = new SqliteEventStore({ filename: ':memory:', now: () => now });
    tokens = new AccessTokens(table, store, { now: () => now }, { next: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}` });
  });
  afterEach(async () => store.close());

  const rejection = async (promise: Promise<unknown>): Promise<ApplicationError> => {
    try {
      await promise;
    } catch (error) {
      if (error instanceof ApplicationError) return error;
      throw error;
    }
    throw new Error('expected a rejection');
  };

  it('generates 256-bit tokens with a readable prefix, never the same twice', () => {
    const a = generateAccessToken();
    expect(a).toMatch(/^pct_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a.slice(4), 'base64url')).toHaveLength(32);
    expect(generateAccessToken()).not.toBe(a);
    expect(ACCESS_TOKEN_PATTERN.test(a)).toBe(true);
    expect(ACCESS_TOKEN_PATTERN.test(`pct_${'a'.repeat(42)}`)).toBe(false);
  });

  it('issues a token, keeps only its SHA-256, and verifies it as its caller', async () => {
    const issued = await tokens.issue({ role: 'caseworker', name: 'maria' }, CONTEXT);
    expect(issued.token).toMatch(/^pct_[A-Za-z0-9_-]{43}$/);
    expect(table.rows).toEqual([
      { id: issued.id, name: 'maria', role: 'caseworker', tokenHash: createHash('sha256').update(issued.token).digest('hex'), createdAt: '2026-03-01T12:00:00.000Z', expiresAt: null, revokedAt: null },
    ]);
    expect(JSON.stringify(table.rows)).not.toContain(issued.token);
    expect(await tokens.verify(issued.token)).toEqual({ tokenId: issued.id, name: 'maria', role: 'caseworker', actor: 'token:maria', expiresAt: null });
    expect(await tokens.verify(generateAccessToken())).toBeNull();
    expect(await tokens.verify(issued.token.slice(0, -1))).toBeNull();
    expect(await tokens.verify('')).toBeNull();
  });

  it('records the issue in the log, without the token or its hash', async () => {
    const issued = await tokens.issue({ role: 'viewer', name: 'vic', expiresAt: '2026-06-01T00:00:00+02:00' }, CONTEXT);
    const [event] = await store.readStream(`access-token-${issued.id}`);
    expect(event).toMatchObject({
      type: 'AccessTokenIssued',
      data: { tokenId: issued.id, name: 'vic', role: 'viewer', expiresAt: '2026-05-31T22:00:00.000Z' },
      personal: null,
      metadata: { actor: 'token:root', correlationId: 'corr-1' },
    });
    expect(JSON.stringify(event)).not.toContain(issued.token);
    expect(JSON.stringify(event)).not.toContain(hashAccessToken(issued.token));
  });

  it('rejects a bad role, name or expiry, naming each field, and writes nothing', async () => {
    const error = await rejection(tokens.issue({ role: 'root' as never, name: 'has space', expiresAt: '2026-03-01T11:59:59Z' }, CONTEXT));
    expect(error.code).toBe(ApplicationErrorCode.ValidationFailed);
    expect(error.errors.map((e) => e.field)).toEqual(['role', 'name', 'expiresAt']);
    expect((await rejection(tokens.issue({ role: 'viewer', name: 'v', expiresAt: 'soon' }, CONTEXT))).errors[0]!.field).toBe('expiresAt');
    expect(table.rows).toEqual([]);
    expect(await store.headPosition()).toBe(0);
  });

  it('refuses a token once it has expired', async () => {
    const issued = await tokens.issue({ role: 'viewer', name: 'vic', expiresAt: '2026-03-01T13:00:00Z' }, CONTEXT);
    expect(await tokens.verify(issued.token)).not.toBeNull();
    now = new Date('2026-03-01T13:00:00Z');
    expect(await tokens.verify(issued.token)).toBeNull();
    expect((await tokens.list())[0]!.status).toBe('expired');
  });

  it('revokes at once, records it once, and says so in the list; an unknown id is ACCESS_TOKEN_NOT_FOUND', async () => {
    const issued = await tokens.issue({ role: 'auditor', name: 'ana' }, CONTEXT);
    now = new Date('2026-03-02T08:00:00Z');
    expect(await tokens.revoke(issued.id, { ...CONTEXT, actor: 'token:boss' })).toMatchObject({ status: 'revoked', revokedAt: '2026-03-02T08:00:00.000Z' });
    expect(await tokens.verify(issued.token)).toBeNull();
    await tokens.revoke(issued.id, CONTEXT);
    const events = await store.readStream(`access-token-${issued.id}`);
    expect(events.map((e) => [e.type, e.metadata.actor])).toEqual([
      ['AccessTokenIssued', 'token:root'],
      ['AccessTokenRevoked', 'token:boss'],
    ]);
    expect(await tokens.list()).toEqual([
      { id: issued.id, name: 'ana', role: 'auditor', createdAt: '2026-03-01T12:00:00.000Z', expiresAt: null, revokedAt: '2026-03-02T08:00:00.000Z', status: 'revoked' },
    ]);
    expect((await rejection(tokens.revoke('00000000-0000-4000-8000-999999999999', CONTEXT))).code).toBe(ApplicationErrorCode.AccessTokenNotFound);
  });

  it('hands out no token whose issue could not be recorded', async () => {
    await store.close();
    await expect(tokens.issue({ role: 'viewer', name: 'vic' }, CONTEXT)).rejects.toThrow();
    expect(table.rows).toEqual([]);
  });

  describe('the first admin', () => {
    const configured = `pct_${'Q'.repeat(43)}`;

    it('is created from BOOTSTRAP_ADMIN_TOKEN once, then left alone, even revoked', async () => {
      const first = await tokens.bootstrapAdmin(configured);
      expect(first).toMatchObject({ kind: 'created-from-setting' });
      expect(await tokens.verify(configured)).toMatchObject({ role: 'admin', actor: 'token:bootstrap-admin' });
      const [event] = await store.readStream(`access-token-${table.rows[0]!.id}`);
      expect(event!.metadata.actor).toBe('system:bootstrap');
      expect(await tokens.bootstrapAdmin(configured)).toEqual({ kind: 'setting-already-known', id: table.rows[0]!.id, status: 'active' });
      await tokens.revoke(table.rows[0]!.id, CONTEXT);
      expect(await tokens.bootstrapAdmin(configured)).toMatchObject({ kind: 'setting-already-known', status: 'revoked' });
      expect(await tokens.verify(configured)).toBeNull();
      expect(table.rows).toHaveLength(1);
    });

    it('ignores a new BOOTSTRAP_ADMIN_TOKEN while another admin is active', async () => {
      await tokens.issue({ role: 'admin', name: 'root' }, CONTEXT);
      expect(await tokens.bootstrapAdmin(configured)).toEqual({ kind: 'setting-ignored-admin-exists' });
      expect(await tokens.verify(configured)).toBeNull();
    });

    it('is generated, once, when nothing is configured and no admin is active', async () => {
      const generated = await tokens.bootstrapAdmin(undefined);
      if (generated.kind !== 'generated') throw new Error(`expected a generated token, got ${generated.kind}`);
      expect(await tokens.verify(generated.token)).toMatchObject({ role: 'admin' });
      expect(await tokens.bootstrapAdmin(undefined)).toEqual({ kind: 'admin-exists' });
      // Every admin revoked: the next start creates a new one.
      await tokens.revoke(generated.id, CONTEXT);
      expect(await tokens.bootstrapAdmin(undefined)).toMatchObject({ kind: 'generated' });
    });

    it('is generated once when two processes start at once with nothing configured: the other finds its admin', async () => {
      const other = new AccessTokens(table, store, { now: () => now }, { next: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}` });
      const outcomes = await Promise.all([tokens.bootstrapAdmin(undefined), other.bootstrapAdmin(undefined)]);
      expect(outcomes.map((o) => o.kind).sort()).toEqual(['admin-exists', 'generated']);
      expect(table.rows).toHaveLength(1);
      // After every admin is revoked, the next bootstrap gets an id of its own.
      await tokens.revoke(table.rows[0]!.id, CONTEXT);
      const again = await Promise.all([tokens.bootstrapAdmin(undefined), other.bootstrapAdmin(undefined)]);
      expect(again.map((o) => o.kind).sort()).toEqual(['admin-exists', 'generated']);
      expect(table.rows.map((r) => r.id)).toEqual([bootstrapTokenId(0), bootstrapTokenId(1)]);
      expect(bootstrapTokenId(1)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    });

    it('survives two processes creating the same configured admin at once', async () => {
      const other = new AccessTokens(table, store, { now: () => now }, { next: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}` });
      const outcomes = await Promise.all([tokens.bootstrapAdmin(configured), other.bootstrapAdmin(configured)]);
      expect(outcomes.map((o) => o.kind).sort()).toEqual(['created-from-setting', 'setting-already-known']);
      expect(table.rows).toHaveLength(1);
    });
  });
});
