import { EventStoreKind, InvalidEnvironmentError, loadEnvironment, logLevelsFor } from './environment.js';

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
    });
    expect(env.LOG_LEVEL).toBeUndefined();
  });

  it('reads every setting and converts PORT to a number', () => {
    const env = loadEnvironment({
      PORT: '8080',
      DATA_DIR: '/var/lib/tracker',
      TIME_ZONE: 'Europe/Madrid',
      EVENT_STORE: 'sqlite',
      BODY_LIMIT: '1mb',
      LOG_LEVEL: 'debug',
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
    });
  });

  it('reads only its own variables', () => {
    const env = loadEnvironment({ HOME: '/root', PATH: '/bin' });
    expect(Object.keys(env).sort()).toEqual(['BODY_LIMIT', 'DATABASE_SCHEMA', 'DATABASE_URL', 'DATA_DIR', 'EVENT_STORE', 'KURRENTDB_URL', 'LOG_LEVEL', 'PORT', 'PROJECTIONS', 'TIME_ZONE']);
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
    const env = loadEnvironment({ EVENT_STORE: 'postgres', DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test', DATABASE_SCHEMA: 'tracker', PROJECTIONS: 'external' });
    expect(env).toMatchObject({ EVENT_STORE: 'postgres', DATABASE_SCHEMA: 'tracker', PROJECTIONS: 'external' });
  });
  it('rejects an unknown projections mode and a schema that is not an identifier', () => {
    expect(() => loadEnvironment({ PROJECTIONS: 'elsewhere', DATABASE_SCHEMA: 'Robert"); DROP' })).toThrow(/PROJECTIONS[\s\S]*DATABASE_SCHEMA|DATABASE_SCHEMA[\s\S]*PROJECTIONS/);
  });
});
