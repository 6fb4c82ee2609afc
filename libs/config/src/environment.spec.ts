import { corsOrigins, EventStoreKind, InvalidEnvironmentError, loadEnvironment, logLevelsFor, trustProxySetting } from './environment.js';

function errorOf(env: Record<string, string>): InvalidEnvironmentError {
  try {
    loadEnvironment(env);
  } catch (error) {
    if (error instanceof InvalidEnvironmentError) return error;
    throw error;
  }
  throw new Error('expected loadEnvironment to throw');
}

describe('loadEnvironment', () => {
  it('applies the defaults when nothing is set', () => {
    const env = loadEnvironment({});
    expect({ ...env }).toEqual({
      PORT: 3000,
      DATA_DIR: './data',
      TIME_ZONE: 'America/Caracas',
      EVENT_STORE: EventStoreKind.Sqlite,
      DATABASE_SCHEMA: 'public',
      PROJECTIONS: 'in-process',
      BODY_LIMIT: '100kb',
      RATE_LIMIT_PER_MINUTE: 6000,
      AUTH_FAILURES_PER_MINUTE: 30,
    });
    expect(env.LOG_LEVEL).toBeUndefined();
    expect(env.BOOTSTRAP_ADMIN_TOKEN).toBeUndefined();
    expect(env.CORS_ORIGINS).toBeUndefined();
  });

  it('reads every setting and converts PORT to a number', () => {
    const env = loadEnvironment({
      PORT: '8080',
      DATA_DIR: '/var/lib/tracker',
      TIME_ZONE: 'Europe/Madrid',
      EVENT_STORE: 'sqlite',
      BODY_LIMIT: '1mb',
      LOG_LEVEL: 'debug',
      RATE_LIMIT_PER_MINUTE: '120',
      AUTH_FAILURES_PER_MINUTE: '5',
    });
    expect({ ...env }).toEqual({
      PORT: 8080,
      DATA_DIR: '/var/lib/tracker',
      TIME_ZONE: 'Europe/Madrid',
      EVENT_STORE: 'sqlite',
      DATABASE_SCHEMA: 'public',
      PROJECTIONS: 'in-process',
      BODY_LIMIT: '1mb',
      LOG_LEVEL: 'debug',
      RATE_LIMIT_PER_MINUTE: 120,
      AUTH_FAILURES_PER_MINUTE: 5,
    });
  });

  it('reads only its own variables', () => {
    const env = loadEnvironment({ HOME: '/root', PATH: '/bin' });
    expect(Object.keys(env).sort()).toEqual([
      'AUTH_FAILURES_PER_MINUTE',
      'BODY_LIMIT',
      'BOOTSTRAP_ADMIN_TOKEN',
      'CORS_ORIGINS',
      'DATABASE_SCHEMA',
      'DATABASE_URL',
      'DATA_DIR',
      'EVENT_STORE',
      'KURRENTDB_URL',
      'LOG_LEVEL',
      'MASTER_KEY',
      'MASTER_KEY_FILE',
      'PORT',
      'PROJECTIONS',
      'RATE_LIMIT_PER_MINUTE',
      'TIME_ZONE',
      'TRUST_PROXY',
    ]);
    expect(env).not.toHaveProperty('HOME');
  });

  it.each([
    [{ PORT: '99999' }, 'PORT', 'PORT must not be greater than 65535'],
    [{ PORT: '0' }, 'PORT', 'PORT must not be less than 1'],
    [{ PORT: 'eighty' }, 'PORT', 'PORT must be an integer number'],
    [{ PORT: '80.5' }, 'PORT', 'PORT must be an integer number'],
    [{ PORT: '' }, 'PORT', 'PORT must be an integer number'],
    [{ DATA_DIR: '' }, 'DATA_DIR', 'DATA_DIR should not be empty'],
    [{ TIME_ZONE: 'Mars/Olympus_Mons' }, 'TIME_ZONE', 'TIME_ZONE must be a valid IANA time-zone'],
    [{ EVENT_STORE: 'mongodb' }, 'EVENT_STORE', 'EVENT_STORE must be one of the following values: sqlite, postgres, kurrentdb'],
    [{ BODY_LIMIT: 'lots' }, 'BODY_LIMIT', 'BODY_LIMIT must be a size such as 512, 100kb or 1mb'],
    [
      { LOG_LEVEL: 'loud' },
      'LOG_LEVEL',
      'LOG_LEVEL must be one of the following values: fatal, error, warn, log, debug, verbose',
    ],
  ])('rejects %j, naming %s', (env, setting, message) => {
    const error = errorOf(env);
    expect(error.settings).toEqual([{ setting, messages: [message] }]);
    expect(error.message).toBe(`Invalid environment: ${message}`);
  });

  it('names every bad setting at once', () => {
    const error = errorOf({ PORT: '99999', TIME_ZONE: 'Nowhere', DATA_DIR: '', EVENT_STORE: 'sqlite' });
    expect(error.settings.map((s) => s.setting)).toEqual(['PORT', 'DATA_DIR', 'TIME_ZONE']);
    expect(error.message).toBe(
      'Invalid environment: PORT must not be greater than 65535; DATA_DIR should not be empty; ' +
        'TIME_ZONE must be a valid IANA time-zone',
    );
  });
});

describe('logLevelsFor', () => {
  it('enables the level and every more severe one', () => {
    expect(logLevelsFor('fatal')).toEqual(['fatal']);
    expect(logLevelsFor('warn')).toEqual(['fatal', 'error', 'warn']);
    expect(logLevelsFor('verbose')).toEqual(['fatal', 'error', 'warn', 'log', 'debug', 'verbose']);
  });
});

describe('production store settings', () => {
  it('requires DATABASE_URL for the postgres and kurrentdb event stores, naming it', () => {
    expect(() => loadEnvironment({ EVENT_STORE: 'postgres' })).toThrow(/DATABASE_URL must be a postgres:\/\/ URL/);
    expect(() => loadEnvironment({ EVENT_STORE: 'kurrentdb', KURRENTDB_URL: 'kurrentdb://localhost:2113?tls=false' })).toThrow(/DATABASE_URL/);
  });
  it('requires KURRENTDB_URL for the kurrentdb event store', () => {
    expect(() => loadEnvironment({ EVENT_STORE: 'kurrentdb', DATABASE_URL: 'postgres://u@h/db' })).toThrow(/KURRENTDB_URL must be a kurrentdb:\/\/ connection string/);
  });
  it('accepts a complete postgres setup with an external projector', () => {
    const env = loadEnvironment({ EVENT_STORE: 'postgres', DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test', DATABASE_SCHEMA: 'tracker', PROJECTIONS: 'external', MASTER_KEY_FILE: '/run/secrets/master_key' });
    expect(env).toMatchObject({ EVENT_STORE: 'postgres', DATABASE_SCHEMA: 'tracker', PROJECTIONS: 'external' });
  });
  it('rejects an unknown projections mode and a schema that is not an identifier', () => {
    expect(() => loadEnvironment({ PROJECTIONS: 'elsewhere', DATABASE_SCHEMA: 'Robert"); DROP' })).toThrow(/PROJECTIONS[\s\S]*DATABASE_SCHEMA|DATABASE_SCHEMA[\s\S]*PROJECTIONS/);
  });
});

describe('security settings', () => {
  const TOKEN = 'pct_' + 'A'.repeat(21) + '-_' + 'z9'.repeat(10);

  it('accepts a bootstrap admin token of 43 base64url characters, with or without pct_', () => {
    expect(TOKEN).toHaveLength(4 + 43);
    expect(loadEnvironment({ BOOTSTRAP_ADMIN_TOKEN: TOKEN }).BOOTSTRAP_ADMIN_TOKEN).toBe(TOKEN);
    expect(loadEnvironment({ BOOTSTRAP_ADMIN_TOKEN: TOKEN.slice(4) }).BOOTSTRAP_ADMIN_TOKEN).toBe(TOKEN.slice(4));
  });

  it.each([
    ['too short', 'pct_' + 'a'.repeat(42)],
    ['not base64url', 'pct_' + 'a'.repeat(42) + '+'],
    ['padded', 'a'.repeat(43) + '='],
    ['empty', ''],
  ])('rejects a bootstrap admin token that is %s, without repeating it', (_why, value) => {
    const error = errorOf({ BOOTSTRAP_ADMIN_TOKEN: value });
    expect(error.settings.map((s) => s.setting)).toEqual(['BOOTSTRAP_ADMIN_TOKEN']);
    if (value !== '') expect(error.message).not.toContain(value);
  });

  it.each([
    [{ RATE_LIMIT_PER_MINUTE: '0' }, 'RATE_LIMIT_PER_MINUTE'],
    [{ RATE_LIMIT_PER_MINUTE: 'lots' }, 'RATE_LIMIT_PER_MINUTE'],
    [{ AUTH_FAILURES_PER_MINUTE: '-1' }, 'AUTH_FAILURES_PER_MINUTE'],
    [{ CORS_ORIGINS: '*' }, 'CORS_ORIGINS'],
    [{ CORS_ORIGINS: 'https://a.example.org/path' }, 'CORS_ORIGINS'],
    [{ TRUST_PROXY: 'everyone' }, 'TRUST_PROXY'],
  ])('rejects %j', (env, setting) => {
    expect(errorOf(env).settings.map((s) => s.setting)).toEqual([setting]);
  });

  it('reads the CORS origins and the trusted proxies', () => {
    const env = loadEnvironment({ CORS_ORIGINS: 'https://tracker.example.org, http://localhost:5173', TRUST_PROXY: 'loopback, 10.0.0.0/8' });
    expect(corsOrigins(env)).toEqual(['https://tracker.example.org', 'http://localhost:5173']);
    expect(corsOrigins(loadEnvironment({}))).toEqual([]);
    expect(trustProxySetting(env.TRUST_PROXY!)).toEqual(['loopback', '10.0.0.0/8']);
    expect(trustProxySetting('1')).toBe(1);
  });
});
