import { randomBytes } from 'node:crypto';
import { InvalidEnvironmentError, loadEnvironment } from './environment.js';

const KEY = randomBytes(32).toString('base64');
const POSTGRES = { EVENT_STORE: 'postgres', DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' };

function settingsIn(env: Record<string, string>): { setting: string; messages: string[] }[] {
  try {
    loadEnvironment(env);
  } catch (error) {
    if (error instanceof InvalidEnvironmentError) return error.settings;
    throw error;
  }
  return [];
}

describe('master key settings', () => {
  it('needs none in the embedded default (a key file is generated in DATA_DIR)', () => {
    const env = loadEnvironment({});
    expect(env.MASTER_KEY).toBeUndefined();
    expect(env.MASTER_KEY_FILE).toBeUndefined();
  });

  it.each(['postgres', 'kurrentdb'])('requires MASTER_KEY or MASTER_KEY_FILE with EVENT_STORE=%s, naming MASTER_KEY', (store) => {
    const env = { ...POSTGRES, EVENT_STORE: store, KURRENTDB_URL: 'kurrentdb://localhost:2113?tls=false' };
    const invalid = settingsIn(env);
    expect(invalid.map((s) => s.setting)).toEqual(['MASTER_KEY']);
    expect(invalid[0]!.messages[0]).toMatch(/MASTER_KEY or MASTER_KEY_FILE is required when EVENT_STORE is postgres or kurrentdb/);
    expect(loadEnvironment({ ...env, MASTER_KEY: KEY }).MASTER_KEY).toBe(KEY);
    expect(loadEnvironment({ ...env, MASTER_KEY_FILE: '/run/secrets/master_key' }).MASTER_KEY_FILE).toBe('/run/secrets/master_key');
  });

  it.each([
    ['not base64', 'not a key at all'],
    ['16 bytes', randomBytes(16).toString('base64')],
    ['33 bytes', randomBytes(33).toString('base64')],
    ['empty', ''],
  ])('rejects a MASTER_KEY that is %s, without repeating it', (_what, value) => {
    const invalid = settingsIn({ MASTER_KEY: value });
    expect(invalid).toEqual([{ setting: 'MASTER_KEY', messages: [expect.stringMatching(/^MASTER_KEY must be the base64 text of 32 random bytes/)] }]);
    if (value !== '') expect(JSON.stringify(invalid)).not.toContain(value);
  });

  it('rejects MASTER_KEY and MASTER_KEY_FILE together, and an empty MASTER_KEY_FILE', () => {
    expect(settingsIn({ MASTER_KEY: KEY, MASTER_KEY_FILE: '/k' })).toEqual([{ setting: 'MASTER_KEY_FILE', messages: ['set MASTER_KEY or MASTER_KEY_FILE, not both'] }]);
    expect(settingsIn({ ...POSTGRES, MASTER_KEY_FILE: '' })).toEqual([{ setting: 'MASTER_KEY_FILE', messages: ['MASTER_KEY_FILE should not be empty'] }]);
  });
});
