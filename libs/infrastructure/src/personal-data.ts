import { join } from 'node:path';
import { EventStoreKind, type Environment } from '#config';
import { identifierKey, loadMasterKey, PersonalDataCipher, PostgresKeyStore, SqliteKeyStore, type KeyStore, type PersonalDataCipherOptions } from '#crypto';

/**
 * The key store beside the configured event store: `DATA_DIR/keys.sqlite` with the embedded SQLite
 * store (a file of its own, backed up apart from the events), the `data_keys` table of
 * `DATABASE_SCHEMA` with PostgreSQL or KurrentDB (whose read models live in PostgreSQL too).
 */
export async function openKeyStore(env: Environment): Promise<KeyStore> {
  return env.EVENT_STORE === EventStoreKind.Sqlite
    ? new SqliteKeyStore({ filename: join(env.DATA_DIR, 'keys.sqlite') })
    : PostgresKeyStore.open({ connectionString: env.DATABASE_URL!, schema: env.DATABASE_SCHEMA });
}

export interface PersonalData {
  cipher: PersonalDataCipher;
  keyStore: KeyStore;
  close(): Promise<void>;
}

/**
 * The cipher of personal data, from the settings: master key from `MASTER_KEY`, `MASTER_KEY_FILE`,
 * or (embedded SQLite only) `DATA_DIR/master.key`, generated on first run with `warn` told so. The
 * master key is checked against a stored key before anything is read or written, so a wrong one
 * stops the process at start.
 */
export async function openPersonalData(
  env: Environment,
  options: { warn: (message: string) => void; cipher?: PersonalDataCipherOptions },
): Promise<PersonalData> {
  const master = loadMasterKey({
    masterKey: env.MASTER_KEY,
    masterKeyFile: env.MASTER_KEY_FILE,
    generateIn: env.EVENT_STORE === EventStoreKind.Sqlite ? env.DATA_DIR : undefined,
    warn: options.warn,
  });
  const keyStore = await openKeyStore(env);
  try {
    const cipher = new PersonalDataCipher(keyStore, master.key, options.cipher);
    await cipher.checkMasterKey();
    return { cipher, keyStore, close: () => keyStore.close() };
  } catch (error) {
    await keyStore.close();
    throw error;
  }
}

/** The secret from which `cli import` derives case and command ids, so that they reveal no name. */
export function importIdKey(env: Environment, warn: (message: string) => void): Buffer {
  const master = loadMasterKey({
    masterKey: env.MASTER_KEY,
    masterKeyFile: env.MASTER_KEY_FILE,
    generateIn: env.EVENT_STORE === EventStoreKind.Sqlite ? env.DATA_DIR : undefined,
    warn,
  });
  return identifierKey(master.key, 'case-import');
}
