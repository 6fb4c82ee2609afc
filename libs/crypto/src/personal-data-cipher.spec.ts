import { jest } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DataKeyNotFoundError,
  ERASED,
  isEncryptedEnvelope,
  isErased,
  MasterKeyMismatchError,
  PersonalDataIntegrityError,
  SubjectErasedError,
  type EncryptedEnvelope,
} from './envelope.js';
import { keyEncryptionKey } from './master-key.js';
import { newDataKey, unwrapDataKey, wrapDataKey, WRAPPED_KEY_BYTES } from './key-wrap.js';
import { PersonalDataCipher } from './personal-data-cipher.js';
import { SqliteKeyStore } from './sqlite/sqlite-key-store.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function newStore(): SqliteKeyStore {
  const dir = mkdtempSync(join(tmpdir(), 'pct-cipher-'));
  dirs.push(dir);
  return new SqliteKeyStore({ filename: join(dir, 'keys.sqlite') });
}

const MASTER = randomBytes(32);
const PERSON = { fullName: 'Zacarías Quintero-Ybarra', birthYear: 1971, notes: 'Detenido en su casa, "sin orden" — 🙂' };

/** A copy of the envelope with one byte of a base64 member flipped. */
function flip(envelope: EncryptedEnvelope, member: 'ct' | 'tag' | 'iv', at = 0): EncryptedEnvelope {
  const bytes = Buffer.from(envelope[member], 'base64');
  bytes[at] = bytes[at]! ^ 0x01;
  return { ...envelope, [member]: bytes.toString('base64') };
}

describe('PersonalDataCipher', () => {
  let store: SqliteKeyStore;
  let cipher: PersonalDataCipher;
  beforeEach(() => {
    store = newStore();
    cipher = new PersonalDataCipher(store, MASTER);
  });
  afterEach(() => store.close());

  it('round-trips a personal object through an envelope that shows none of it', async () => {
    const subject = randomUUID();
    const envelope = (await cipher.encrypt(subject, PERSON))!;
    expect(Object.keys(envelope).sort()).toEqual(['$enc', 'ct', 'iv', 'kid', 'tag']);
    expect(envelope).toMatchObject({ $enc: 'aes-256-gcm', kid: subject });
    expect(isEncryptedEnvelope(envelope)).toBe(true);
    const text = JSON.stringify(envelope);
    for (const fragment of ['Zacar', 'Quintero', 'Ybarra', '1971', 'Detenido']) expect(text).not.toContain(fragment);
    expect(await cipher.decrypt(envelope, subject)).toEqual(PERSON);
    // A second cipher on the same store and master key (another process) reads it too.
    expect(await new PersonalDataCipher(store, MASTER).decrypt(envelope)).toEqual(PERSON);
  });

  it('keeps null as null, and uses a fresh IV for every encryption', async () => {
    const subject = randomUUID();
    expect(await cipher.encrypt(subject, null)).toBeNull();
    const a = (await cipher.encrypt(subject, PERSON))!;
    const b = (await cipher.encrypt(subject, PERSON))!;
    expect(a.iv).not.toBe(b.iv);
    expect(a.ct).not.toBe(b.ct);
  });

  it('pads the plaintext, so names of different lengths give ciphertexts of one length', async () => {
    const subject = randomUUID();
    const lengths = await Promise.all(
      ['Ana', 'Zacarías Quintero-Ybarra', 'María de los Ángeles'].map(async (fullName) => Buffer.from((await cipher.encrypt(subject, { fullName }))!.ct, 'base64').length),
    );
    expect(new Set(lengths)).toEqual(new Set([64]));
  });

  it('one data key per subject: a different subject gets a different key', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    await cipher.encrypt(a, PERSON);
    await cipher.encrypt(b, PERSON);
    const [ka, kb] = [(await store.get(a))!, (await store.get(b))!];
    expect(ka.wrappedKey!.length).toBe(WRAPPED_KEY_BYTES);
    expect(ka.wrappedKey!.equals(kb.wrappedKey!)).toBe(false);
    expect(ka.masterKeyId).toBe(cipher.masterKeyId);
  });

  it.each(['ct', 'tag', 'iv'] as const)('throws an integrity error when the %s was modified (tampering is not erasure)', async (member) => {
    const subject = randomUUID();
    const envelope = (await cipher.encrypt(subject, PERSON))!;
    await expect(cipher.decrypt(flip(envelope, member), subject)).rejects.toBeInstanceOf(PersonalDataIntegrityError);
    // Still readable untouched.
    expect(await cipher.decrypt(envelope, subject)).toEqual(PERSON);
  });

  it('refuses an envelope moved to another subject', async () => {
    const [victim, other] = [randomUUID(), randomUUID()];
    const envelope = (await cipher.encrypt(victim, PERSON))!;
    await cipher.encrypt(other, { fullName: 'Otra Persona' });
    // Presented as the other subject's data: refused before any key is used.
    await expect(cipher.decrypt(envelope, other)).rejects.toBeInstanceOf(PersonalDataIntegrityError);
    // Relabelled to the other subject: the other subject's key and associated data do not authenticate it.
    await expect(cipher.decrypt({ ...envelope, kid: other }, other)).rejects.toBeInstanceOf(PersonalDataIntegrityError);
    await expect(cipher.decrypt({ fullName: 'plain' })).rejects.toBeInstanceOf(PersonalDataIntegrityError);
  });

  it('after erasure reads ERASED (never throws), refuses to encrypt, and is idempotent', async () => {
    const subject = randomUUID();
    const envelope = (await cipher.encrypt(subject, PERSON))!;
    const bystander = randomUUID();
    const bystanderEnvelope = (await cipher.encrypt(bystander, { fullName: 'Bystander' }))!;
    expect(await cipher.erase(subject)).toBe('destroyed');
    expect(await cipher.decrypt(envelope, subject)).toBe(ERASED);
    expect(isErased(await cipher.decrypt(envelope))).toBe(true);
    // Even a tampered envelope of an erased subject reads as erased: there is nothing left to authenticate with.
    expect(await cipher.decrypt(flip(envelope, 'ct'))).toBe(ERASED);
    await expect(cipher.encrypt(subject, { notes: 'new' })).rejects.toBeInstanceOf(SubjectErasedError);
    expect(await cipher.erase(subject)).toBe('already-destroyed');
    expect(await cipher.isErased(subject)).toBe(true);
    // Another process (its own cache) sees the erasure as soon as its cached key expires; with no cache time, at once.
    expect(await new PersonalDataCipher(store, MASTER, { cacheTtlMs: 0 }).decrypt(envelope)).toBe(ERASED);
    expect(await cipher.decrypt(bystanderEnvelope)).toEqual({ fullName: 'Bystander' });
  });

  it('erases a subject that never had a key, so that none is ever created', async () => {
    const subject = randomUUID();
    expect(await cipher.erase(subject)).toBe('tombstoned');
    await expect(cipher.encrypt(subject, PERSON)).rejects.toBeInstanceOf(SubjectErasedError);
  });

  it('sees an erasure made by another process when it encrypts, whatever its cache holds', async () => {
    const subject = randomUUID();
    await cipher.encrypt(subject, PERSON);
    await new PersonalDataCipher(store, MASTER).erase(subject);
    await expect(cipher.encrypt(subject, PERSON)).rejects.toBeInstanceOf(SubjectErasedError);
  });

  it('decrypts many envelopes at once, erased ones as ERASED, with one key-store query for those not in memory', async () => {
    const subjects = Array.from({ length: 50 }, () => randomUUID());
    const envelopes = await Promise.all(subjects.map((s, i) => cipher.encrypt(s, { fullName: `Persona ${i}` })));
    await cipher.erase(subjects[7]!);
    const cold = new PersonalDataCipher(store, MASTER);
    const getMany = jest.spyOn(store, 'getMany');
    const get = jest.spyOn(store, 'get');
    const opened = await cold.decryptMany(envelopes.map((envelope, i) => ({ envelope, subjectId: subjects[i] })));
    expect(getMany).toHaveBeenCalledTimes(1);
    expect(get).not.toHaveBeenCalled();
    expect(opened.map((o, i) => (i === 7 ? o : (o as { fullName: string }).fullName))).toEqual(subjects.map((_, i) => (i === 7 ? ERASED : `Persona ${i}`)));
    // Now in memory: no query at all.
    await cold.decryptMany(envelopes.map((envelope) => ({ envelope })));
    expect(getMany).toHaveBeenCalledTimes(1);
  });

  it('keeps at most cacheSize keys in memory', async () => {
    const small = new PersonalDataCipher(store, MASTER, { cacheSize: 2 });
    const subjects = [randomUUID(), randomUUID(), randomUUID()];
    const envelopes = await Promise.all(subjects.map((s) => cipher.encrypt(s, PERSON)));
    const fetches = jest.spyOn(store, 'getMany');
    for (const e of envelopes) await small.decrypt(e);
    expect(fetches).toHaveBeenCalledTimes(3);
    await small.decrypt(envelopes[2]); // still cached
    expect(fetches).toHaveBeenCalledTimes(3);
    await small.decrypt(envelopes[0]); // evicted: fetched again
    expect(fetches).toHaveBeenCalledTimes(4);
  });

  it('fails loudly, naming both fingerprints, when the configured master key is not the one that wrapped the keys', async () => {
    const subject = randomUUID();
    const envelope = (await cipher.encrypt(subject, PERSON))!;
    const wrong = new PersonalDataCipher(store, randomBytes(32));
    await expect(wrong.decrypt(envelope)).rejects.toBeInstanceOf(MasterKeyMismatchError);
    await expect(wrong.checkMasterKey()).rejects.toThrow(new RegExp(`wrapped by master key ${cipher.masterKeyId}`));
    await expect(cipher.checkMasterKey()).resolves.toBeUndefined();
  });

  it('throws when the key store has no key for an envelope (the wrong or a lost key store), which is not an erasure', async () => {
    const envelope = (await cipher.encrypt(randomUUID(), PERSON))!;
    const elsewhere = newStore();
    try {
      await expect(new PersonalDataCipher(elsewhere, MASTER).decrypt(envelope)).rejects.toBeInstanceOf(DataKeyNotFoundError);
    } finally {
      await elsewhere.close();
    }
  });
});

describe('key wrapping', () => {
  const kek = keyEncryptionKey(MASTER);

  it('round-trips a data key, and the wrapped form differs from it', () => {
    const key = newDataKey();
    const wrapped = wrapDataKey(kek, 'case-a', key);
    expect(wrapped).toHaveLength(WRAPPED_KEY_BYTES);
    expect(wrapped.includes(key)).toBe(false);
    expect(unwrapDataKey(kek, 'case-a', wrapped)).toEqual(key);
  });

  it('does not unwrap under another subject, another master key, or after a modification', () => {
    const wrapped = wrapDataKey(kek, 'case-a', newDataKey());
    expect(() => unwrapDataKey(kek, 'case-b', wrapped)).toThrow(PersonalDataIntegrityError);
    expect(() => unwrapDataKey(keyEncryptionKey(randomBytes(32)), 'case-a', wrapped)).toThrow(PersonalDataIntegrityError);
    const modified = Buffer.from(wrapped);
    modified[20] = modified[20]! ^ 0x80;
    expect(() => unwrapDataKey(kek, 'case-a', modified)).toThrow(PersonalDataIntegrityError);
    expect(() => unwrapDataKey(kek, 'case-a', wrapped.subarray(1))).toThrow(PersonalDataIntegrityError);
  });

  it('derives the key-encryption key from the master key rather than using it directly', () => {
    expect(keyEncryptionKey(MASTER).equals(MASTER)).toBe(false);
    expect(keyEncryptionKey(MASTER)).toEqual(keyEncryptionKey(Buffer.from(MASTER)));
  });
});
