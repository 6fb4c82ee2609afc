import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { PersonalDataIntegrityError } from './envelope.js';

/**
 * Data keys at rest: `iv (12 bytes) || ciphertext (32 bytes) || tag (16 bytes)`, AES-256-GCM under the
 * key-encryption key derived from the master key, with `prisoner-case-tracker/data-key/v1\0<subject id>`
 * as associated data, so a wrapped key copied onto another subject's row does not unwrap.
 */
export const DATA_KEY_BYTES = 32;
export const WRAPPED_KEY_BYTES = 12 + DATA_KEY_BYTES + 16;

const wrapAad = (subjectId: string) => Buffer.from(`prisoner-case-tracker/data-key/v1\0${subjectId}`, 'utf8');

export function newDataKey(): Buffer {
  return randomBytes(DATA_KEY_BYTES);
}

export function wrapDataKey(kek: Buffer, subjectId: string, dataKey: Buffer): Buffer {
  if (dataKey.length !== DATA_KEY_BYTES) throw new RangeError(`a data key has ${DATA_KEY_BYTES} bytes`);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek, iv);
  cipher.setAAD(wrapAad(subjectId));
  const ct = Buffer.concat([cipher.update(dataKey), cipher.final()]);
  return Buffer.concat([iv, ct, cipher.getAuthTag()]);
}

/** Throws {@link PersonalDataIntegrityError} when the wrapped key was altered or belongs to another subject. */
export function unwrapDataKey(kek: Buffer, subjectId: string, wrapped: Buffer): Buffer {
  if (wrapped.length !== WRAPPED_KEY_BYTES) throw new PersonalDataIntegrityError(`the wrapped data key of ${subjectId} has ${wrapped.length} bytes, not ${WRAPPED_KEY_BYTES}`);
  const decipher = createDecipheriv('aes-256-gcm', kek, wrapped.subarray(0, 12));
  decipher.setAAD(wrapAad(subjectId));
  decipher.setAuthTag(wrapped.subarray(12 + DATA_KEY_BYTES));
  try {
    return Buffer.concat([decipher.update(wrapped.subarray(12, 12 + DATA_KEY_BYTES)), decipher.final()]);
  } catch (error) {
    throw new PersonalDataIntegrityError(`the wrapped data key of ${subjectId} does not authenticate (altered, or moved from another subject)`, { cause: error });
  }
}
