import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import {
  DataKeyNotFoundError,
  ENVELOPE_ALGORITHM,
  ERASED,
  isEncryptedEnvelope,
  MasterKeyMismatchError,
  PADDING_BLOCK,
  PersonalDataIntegrityError,
  SubjectErasedError,
  type EncryptedEnvelope,
  type Erased,
  type JsonObject,
} from './envelope.js';
import type { DestroyOutcome, KeyStore, StoredDataKey } from './key-store.port.js';
import { keyEncryptionKey, masterKeyId } from './master-key.js';
import { newDataKey, unwrapDataKey, wrapDataKey } from './key-wrap.js';

export interface PersonalDataCipherOptions {
  /** How many unwrapped data keys stay in memory (least recently used first out); default 50,000. */
  cacheSize?: number;
  /**
   * How long an unwrapped key is trusted without asking the key store again, in ms (default 60 s):
   * the longest another process keeps reading a subject's data after it was erased here.
   */
  cacheTtlMs?: number;
  now?: () => Date;
}

type CachedKey = { key: Buffer; expires: number } | { key: 'destroyed'; expires: number };

/**
 * Envelope encryption of personal data, one data key per subject (a case id), each wrapped by the
 * master key and kept in a {@link KeyStore}. See `envelope.ts` for the stored form.
 *
 * Reads never fail because of an erasure: a destroyed key decrypts to {@link ERASED}. They do fail,
 * loudly, on anything else: a modified ciphertext, an envelope moved to another subject, a key store
 * that lacks the key, or a master key other than the one that wrapped the keys.
 */
export class PersonalDataCipher {
  readonly masterKeyId: string;
  private readonly kek: Buffer;
  private readonly cache = new Map<string, CachedKey>();
  private readonly cacheSize: number;
  private readonly cacheTtlMs: number;
  private readonly now: () => Date;

  constructor(
    private readonly keys: KeyStore,
    masterKey: Buffer,
    options: PersonalDataCipherOptions = {},
  ) {
    this.kek = keyEncryptionKey(masterKey);
    this.masterKeyId = masterKeyId(masterKey);
    this.cacheSize = Math.max(1, options.cacheSize ?? 50_000);
    this.cacheTtlMs = Math.max(0, options.cacheTtlMs ?? 60_000);
    this.now = options.now ?? (() => new Date());
  }

  /** The envelope of `personal` under the subject's data key (created on first use); null stays null. */
  async encrypt(subjectId: string, personal: JsonObject | null): Promise<EncryptedEnvelope | null> {
    if (personal === null) return null;
    const key = await this.keyForWriting(subjectId);
    const text = JSON.stringify(personal);
    const length = Buffer.byteLength(text, 'utf8');
    const padded = Buffer.alloc(Math.max(PADDING_BLOCK, Math.ceil(length / PADDING_BLOCK) * PADDING_BLOCK), 0x20);
    padded.write(text, 'utf8');
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(subjectId, 'utf8'));
    const ct = Buffer.concat([cipher.update(padded), cipher.final()]);
    return { $enc: ENVELOPE_ALGORITHM, kid: subjectId, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), ct: ct.toString('base64') };
  }

  /**
   * The personal object an envelope holds, or {@link ERASED} when the subject's key was destroyed.
   * With `expectedSubject`, an envelope of another subject is refused. Throws
   * {@link PersonalDataIntegrityError} on tampering.
   */
  async decrypt(envelope: unknown, expectedSubject?: string): Promise<JsonObject | Erased> {
    const [result] = await this.decryptMany([{ envelope, subjectId: expectedSubject }]);
    return result!;
  }

  /** {@link decrypt} for many envelopes at once: the keys not in memory are fetched in one query. */
  async decryptMany(items: readonly { envelope: unknown; subjectId?: string | undefined }[]): Promise<(JsonObject | Erased)[]> {
    const envelopes = items.map(({ envelope, subjectId }) => {
      if (!isEncryptedEnvelope(envelope)) throw new PersonalDataIntegrityError('not an encrypted envelope');
      if (subjectId !== undefined && envelope.kid !== subjectId) {
        throw new PersonalDataIntegrityError(`an envelope of ${envelope.kid} was found where ${subjectId}'s personal data belongs`);
      }
      return envelope;
    });
    await this.prefetch(envelopes.map((e) => e.kid));
    const out: (JsonObject | Erased)[] = [];
    const now = Date.now();
    for (const envelope of envelopes) {
      // After the prefetch the keys are in memory: no await per envelope (a list opens thousands).
      const key = this.cached(envelope.kid, now) ?? (await this.keyForReading(envelope.kid));
      out.push(key === 'destroyed' ? ERASED : open(key, envelope));
    }
    return out;
  }

  /**
   * Destroys the subject's data key (crypto-shredding): every envelope of that subject, wherever it
   * was copied, reads as {@link ERASED} from now on, and nothing new can be encrypted for it.
   * Idempotent.
   */
  async erase(subjectId: string): Promise<DestroyOutcome> {
    const outcome = await this.keys.destroy(subjectId, this.masterKeyId, this.now());
    this.remember(subjectId, 'destroyed');
    return outcome;
  }

  /**
   * Whether a live key of the subject is in memory and still trusted (within the TTL): what a cache
   * of opened data may rely on to serve a plaintext without asking the key store. No store query.
   */
  holdsTrustedKey(subjectId: string): boolean {
    const cached = this.cache.get(subjectId);
    return cached !== undefined && cached.key !== 'destroyed' && cached.expires > Date.now();
  }

  /** Whether the subject's key is destroyed (asks the key store, not the cache). */
  async isErased(subjectId: string): Promise<boolean> {
    const row = await this.keys.get(subjectId);
    return row !== null && row.destroyedAt !== null;
  }

  /**
   * Fails fast when the configured master key is not the one that wrapped the stored keys (checked
   * on one live key), instead of at the first read.
   */
  async checkMasterKey(): Promise<void> {
    const row = await this.keys.anyLive();
    if (row) this.unwrap(row);
  }

  private async prefetch(subjectIds: readonly string[]): Promise<void> {
    const now = Date.now();
    const missing = [...new Set(subjectIds)].filter((id) => {
      const cached = this.cache.get(id);
      return !cached || cached.expires <= now;
    });
    if (missing.length === 0) return;
    const rows = await this.keys.getMany(missing);
    for (const [id, row] of rows) this.remember(id, row.destroyedAt !== null ? 'destroyed' : this.unwrap(row));
  }

  /** The key in memory, if still trusted; a hit makes it the most recently used. */
  private cached(subjectId: string, now: number): Buffer | 'destroyed' | null {
    const cached = this.cache.get(subjectId);
    if (!cached || cached.expires <= now) return null;
    this.cache.delete(subjectId);
    this.cache.set(subjectId, cached);
    return cached.key;
  }

  private async keyForReading(subjectId: string): Promise<Buffer | 'destroyed'> {
    const cached = this.cached(subjectId, Date.now());
    if (cached !== null) return cached;
    const row = await this.keys.get(subjectId);
    if (!row) throw new DataKeyNotFoundError(subjectId);
    const key = row.destroyedAt !== null ? 'destroyed' : this.unwrap(row);
    this.remember(subjectId, key);
    return key;
  }

  /** The live key, created when the subject has none; the store is always asked, so an erasure elsewhere is seen at once. */
  private async keyForWriting(subjectId: string): Promise<Buffer> {
    let row = await this.keys.get(subjectId);
    if (!row) {
      const fresh = newDataKey();
      row = await this.keys.create(subjectId, wrapDataKey(this.kek, subjectId, fresh), this.masterKeyId, this.now());
    }
    if (row.destroyedAt !== null) {
      this.remember(subjectId, 'destroyed');
      throw new SubjectErasedError(subjectId);
    }
    const cached = this.cache.get(subjectId);
    if (cached && cached.key !== 'destroyed') return cached.key;
    const key = this.unwrap(row);
    this.remember(subjectId, key);
    return key;
  }

  private unwrap(row: StoredDataKey): Buffer {
    if (row.masterKeyId !== this.masterKeyId) throw new MasterKeyMismatchError(row.masterKeyId, this.masterKeyId);
    return unwrapDataKey(this.kek, row.subjectId, row.wrappedKey!);
  }

  private remember(subjectId: string, key: Buffer | 'destroyed'): void {
    this.cache.delete(subjectId);
    // A destroyed key never comes back: it is remembered for good (until evicted).
    this.cache.set(subjectId, { key, expires: key === 'destroyed' ? Number.POSITIVE_INFINITY : Date.now() + this.cacheTtlMs } as CachedKey);
    while (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value!);
  }
}

function open(key: Buffer, envelope: EncryptedEnvelope): JsonObject {
  const iv = Buffer.from(envelope.iv, 'base64');
  const tag = Buffer.from(envelope.tag, 'base64');
  if (iv.length !== 12 || tag.length !== 16) throw new PersonalDataIntegrityError(`the envelope of ${envelope.kid} has a malformed iv or tag`);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(Buffer.from(envelope.kid, 'utf8'));
  decipher.setAuthTag(tag);
  let text: string;
  try {
    text = Buffer.concat([decipher.update(Buffer.from(envelope.ct, 'base64')), decipher.final()]).toString('utf8');
  } catch (error) {
    throw new PersonalDataIntegrityError(`the personal data of ${envelope.kid} does not authenticate: it was modified`, { cause: error });
  }
  const value = JSON.parse(text) as unknown;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new PersonalDataIntegrityError(`the personal data of ${envelope.kid} is not an object`);
  return value as JsonObject;
}
