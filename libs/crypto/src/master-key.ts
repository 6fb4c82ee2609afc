import { createHash, hkdfSync, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { InvalidMasterKeyError } from './envelope.js';

/**
 * The master key: 32 random bytes, written as base64. It never encrypts personal data itself; it
 * wraps the per-subject data keys (see `key-wrap.ts`). Whoever holds it and the key store can read
 * every name that has not been erased, so it lives apart from the data: an environment variable
 * (`MASTER_KEY`), a secret file (`MASTER_KEY_FILE`), or, in the embedded default only, a file
 * `master.key` created on first run beside the SQLite files.
 */
export const MASTER_KEY_BYTES = 32;
export const MASTER_KEY_FILE_NAME = 'master.key';

const STRICT_BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** A master key from its base64 text (surrounding whitespace ignored); throws unless it is exactly 32 bytes. */
export function parseMasterKey(text: string, origin = 'the master key'): Buffer {
  const trimmed = text.trim();
  const key = STRICT_BASE64.test(trimmed) && trimmed.length % 4 === 0 ? Buffer.from(trimmed, 'base64') : null;
  if (key === null || key.length !== MASTER_KEY_BYTES) {
    throw new InvalidMasterKeyError(`${origin} must be the base64 text of ${MASTER_KEY_BYTES} random bytes (e.g. \`openssl rand -base64 32\`)`);
  }
  return key;
}

/** Whether a text is a valid master key (for settings validation). */
export function isMasterKeyText(text: string): boolean {
  try {
    parseMasterKey(text);
    return true;
  } catch {
    return false;
  }
}

/** A short public fingerprint of a master key, stored beside each wrapped key: tells a wrong key from a damaged one. */
export function masterKeyId(masterKey: Buffer): string {
  return createHash('sha256').update('prisoner-case-tracker/master-key-id/v1\0').update(masterKey).digest('hex').slice(0, 16);
}

/** The key-encryption key derived from the master key (HKDF-SHA256), so the master key itself encrypts nothing. */
export function keyEncryptionKey(masterKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'prisoner-case-tracker/data-key-wrap/v1', 32));
}

/** A secret for deriving identifiers (HKDF-SHA256 of the master key, its own purpose string). */
export function identifierKey(masterKey: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), `prisoner-case-tracker/ids/${purpose}/v1`, 32));
}

export interface MasterKeySource {
  /** `MASTER_KEY`: base64 of 32 bytes. */
  masterKey?: string | undefined;
  /** `MASTER_KEY_FILE`: a file holding the base64 text (a Docker or Kubernetes secret, say). It must exist. */
  masterKeyFile?: string | undefined;
  /**
   * Where to keep a generated key when neither is given (the embedded default: `DATA_DIR`).
   * Absent: one of the two settings is required.
   */
  generateIn?: string | undefined;
  /** Told when a key file is generated, or found readable by others. */
  warn?: (message: string) => void;
}

export interface LoadedMasterKey {
  key: Buffer;
  /** `MASTER_KEY`, `MASTER_KEY_FILE` or the generated file's path. */
  origin: string;
  /** True when this call created the key file. */
  generated: boolean;
}

/**
 * Loads the master key: `MASTER_KEY`, else `MASTER_KEY_FILE`, else `<generateIn>/master.key`
 * (created with mode 0600 on first run, atomically, so that two processes starting together agree
 * on one key). Throws {@link InvalidMasterKeyError} naming the setting when it cannot.
 */
export function loadMasterKey(source: MasterKeySource): LoadedMasterKey {
  const warn = source.warn ?? (() => undefined);
  if (source.masterKey !== undefined && source.masterKey !== '') {
    return { key: parseMasterKey(source.masterKey, 'MASTER_KEY'), origin: 'MASTER_KEY', generated: false };
  }
  if (source.masterKeyFile !== undefined && source.masterKeyFile !== '') {
    return { key: readKeyFile(source.masterKeyFile, `MASTER_KEY_FILE (${source.masterKeyFile})`, warn), origin: 'MASTER_KEY_FILE', generated: false };
  }
  if (source.generateIn === undefined) {
    throw new InvalidMasterKeyError('MASTER_KEY or MASTER_KEY_FILE is required: no master key was configured');
  }
  const path = join(source.generateIn, MASTER_KEY_FILE_NAME);
  const generated = createKeyFileIfMissing(path);
  if (generated) {
    warn(
      `generated a master key in ${resolve(path)} (mode 0600). It protects every name in this deployment: ` +
        'back it up apart from the data, and in production supply your own with MASTER_KEY or MASTER_KEY_FILE.',
    );
  }
  return { key: readKeyFile(path, path, warn), origin: path, generated };
}

function readKeyFile(path: string, origin: string, warn: (message: string) => void): Buffer {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InvalidMasterKeyError(`${origin} cannot be read: ${(error as Error).message}`);
  }
  const key = parseMasterKey(text, origin);
  if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0) {
    warn(`${origin} is readable by other users (mode ${(statSync(path).mode & 0o777).toString(8)}): restrict it to 0600`);
  }
  return key;
}

/** Writes a fresh key to a temporary file, then links it into place: either this key or one already there wins, never half a file. */
function createKeyFileIfMissing(path: string): boolean {
  if (statSync(path, { throwIfNoEntry: false })) return false;
  mkdirSync(dirname(resolve(path)), { recursive: true });
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    writeSync(fd, `${randomBytes(MASTER_KEY_BYTES).toString('base64')}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(temporary, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(temporary);
  }
}
