/**
 * The stored form of encrypted personal data, and the errors of this library.
 *
 * An envelope replaces a `personal` object in storage:
 *
 *   { "$enc": "aes-256-gcm", "kid": "<subject id>", "iv": "<base64, 12 bytes>",
 *     "tag": "<base64, 16 bytes>", "ct": "<base64>" }
 *
 * `ct` is AES-256-GCM of the UTF-8 JSON text of the personal object, padded with spaces to a
 * multiple of {@link PADDING_BLOCK} bytes (so that the length of a ciphertext does not tell the
 * length of a name), under the subject's data key, with the subject id (UTF-8) as associated data:
 * an envelope moved to another subject does not decrypt. `kid` names the data key (one per subject).
 */

/** JSON values as stored (structurally the same as the event store's). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export const ENVELOPE_ALGORITHM = 'aes-256-gcm';
/** Plaintext is padded to a multiple of this many bytes before encryption. */
export const PADDING_BLOCK = 64;

export interface EncryptedEnvelope {
  $enc: typeof ENVELOPE_ALGORITHM;
  kid: string;
  iv: string;
  tag: string;
  ct: string;
  [key: string]: Json;
}

/** What a decryption answers when the subject's data key was destroyed (crypto-shredded). */
export interface Erased {
  readonly erased: true;
}
export const ERASED: Erased = Object.freeze({ erased: true as const });

export function isErased(value: unknown): value is Erased {
  return typeof value === 'object' && value !== null && (value as { erased?: unknown }).erased === true && Object.keys(value).length === 1;
}

/**
 * Whether a stored `personal` value is an envelope of this library (anything else is plaintext from
 * before encryption). The shape only: a malformed member fails authentication when decrypted.
 */
export function isEncryptedEnvelope(value: unknown): value is EncryptedEnvelope {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return (
    v['$enc'] === ENVELOPE_ALGORITHM &&
    typeof v['kid'] === 'string' &&
    typeof v['iv'] === 'string' &&
    typeof v['tag'] === 'string' &&
    typeof v['ct'] === 'string'
  );
}

export type CryptoErrorCode =
  | 'INTEGRITY'
  | 'SUBJECT_ERASED'
  | 'DATA_KEY_NOT_FOUND'
  | 'MASTER_KEY_MISMATCH'
  | 'INVALID_MASTER_KEY'
  | 'KEY_STORE_UNAVAILABLE';

export class CryptoError extends Error {
  constructor(
    readonly code: CryptoErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CryptoError';
  }
}

/**
 * A ciphertext (or a wrapped key) that does not authenticate: it was modified, moved to another
 * subject, or is not an envelope at all. Never the same thing as an erasure: tampering throws,
 * erasure reads as {@link ERASED}.
 */
export class PersonalDataIntegrityError extends CryptoError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('INTEGRITY', message, options);
    this.name = 'PersonalDataIntegrityError';
  }
}

/** Encrypting for a subject whose data key was destroyed: their personal data can no longer be recorded. */
export class SubjectErasedError extends CryptoError {
  constructor(readonly subjectId: string) {
    super('SUBJECT_ERASED', `the personal data of ${subjectId} was erased: its key is destroyed`);
    this.name = 'SubjectErasedError';
  }
}

/** An envelope names a data key the key store does not have: the wrong key store, or a lost one. */
export class DataKeyNotFoundError extends CryptoError {
  constructor(readonly subjectId: string) {
    super('DATA_KEY_NOT_FOUND', `no data key for ${subjectId} in the key store (wrong or lost key store?)`);
    this.name = 'DataKeyNotFoundError';
  }
}

/** A data key was wrapped by another master key than the one configured. */
export class MasterKeyMismatchError extends CryptoError {
  constructor(
    readonly expected: string,
    readonly configured: string,
  ) {
    super('MASTER_KEY_MISMATCH', `data keys were wrapped by master key ${expected}, but the configured master key is ${configured}`);
    this.name = 'MasterKeyMismatchError';
  }
}

export class InvalidMasterKeyError extends CryptoError {
  constructor(message: string) {
    super('INVALID_MASTER_KEY', message);
    this.name = 'InvalidMasterKeyError';
  }
}
