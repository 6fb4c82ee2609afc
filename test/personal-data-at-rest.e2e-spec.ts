import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { verifyBundle } from '#application';
import { Environment } from '#config';
import { READ_MODELS } from '../apps/api/src/projections/projections.tokens.js';
import { DIST } from './support/processes.js';
import { request, startTestApp, TEST_ON_POSTGRES, type TestApp } from './support/test-app.js';

/**
 * Personal data is unreadable at rest: a distinctive name, birth year, notes and a lawyer's name
 * are recorded through the API, then searched for in every byte the deployment stores (the SQLite
 * files and their WALs; on PostgreSQL every text, JSON and binary column of every table of the
 * schema). They must appear nowhere, while the API gives them back, decrypted, to its readers.
 */
const NAME = 'Zacarías Quintero-Ybarra';
const LAWYER = 'Ximena Ñáñez-Urdaneta';
const NOTES = 'Sacado de su casa en Barquisimeto por hombres encapuchados';
const DETENTION_NOTES = 'Visto por última vez en la alcabala de Quíbor';
/** Fragments, ASCII and not, that would betray the data in any encoding a store might use. */
const SECRETS = ['Quintero-Ybarra', 'Zacar', 'Zacarías', 'Ybarra', 'Urdaneta', 'Ximena', 'Barquisimeto', 'encapuchados', 'alcabala', 'Quíbor'];
/** Facts that are not personal, stored in clear: finding them proves the search reads the stores. */
const IN_CLEAR = ['El Helicoide', 'Tribunal Quinto de Control'];

/** Every file of the embedded stores, with its WAL. */
function sqliteBytes(dataDir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const base of ['events.sqlite', 'read-models.sqlite', 'keys.sqlite']) {
    for (const name of [base, `${base}-wal`]) {
      const path = join(dataDir, name);
      if (existsSync(path)) files.set(name, readFileSync(path));
    }
  }
  return files;
}

/** Every text, character, JSON and binary column of every table of the schema, as text, one line per value. */
async function postgresText(url: string, schema: string): Promise<Map<string, string>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: columns } = await client.query<{ table_name: string; column_name: string; data_type: string }>(
      `SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c
         JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
        WHERE c.table_schema = $1 AND c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'bytea', 'ARRAY', 'USER-DEFINED')`,
      [schema],
    );
    const out = new Map<string, string>();
    for (const c of columns) {
      const value = c.data_type === 'bytea' ? `encode("${c.column_name}", 'escape')` : `"${c.column_name}"::text`;
      const { rows } = await client.query<{ v: string | null }>(`SELECT string_agg(${value}, E'\\n') AS v FROM "${schema}"."${c.table_name}"`);
      out.set(`${c.table_name}.${c.column_name}`, rows[0]?.v ?? '');
    }
    return out;
  } finally {
    await client.end();
  }
}

/** Where each fragment was found (`[]`: nowhere). */
async function findInStores(t: TestApp, fragments: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  const env = t.app.get(Environment);
  if (TEST_ON_POSTGRES) {
    for (const [column, text] of await postgresText(env.DATABASE_URL!, env.DATABASE_SCHEMA)) {
      for (const f of fragments) if (text.includes(f)) found.push(`${f} in ${column}`);
    }
  }
  // With PostgreSQL, DATA_DIR holds nothing but is searched all the same.
  for (const [file, bytes] of sqliteBytes(t.dataDir)) {
    for (const f of fragments) if (bytes.includes(Buffer.from(f, 'utf8'))) found.push(`${f} in ${file}`);
  }
  return found;
}

describe('personal data at rest', () => {
  let t: TestApp;
  let caseId: string;
  const MASTER_KEY = randomBytes(32).toString('base64');

  beforeAll(async () => {
    // PostgreSQL requires a master key from the settings; the embedded default generates DATA_DIR/master.key.
    t = await startTestApp({ now: '2026-03-01T16:00:00Z', env: TEST_ON_POSTGRES ? { MASTER_KEY } : {} });
    const opened = await request(t)
      .post('/api/cases')
      .send({
        person: { fullName: NAME, birthYear: 1971, notes: NOTES, nationalities: ['VE'], gender: 'male', minor: false, affiliation: 'civilian', externalReference: 'FP-2026-ZQY' },
        detention: { occurredOn: '2025-08-14', facility: 'El Helicoide', notes: DETENTION_NOTES },
      })
      .expect(201);
    caseId = opened.body.caseId;
    await request(t)
      .post(`/api/cases/${caseId}/amnesty-requests`)
      .send({ occurredOn: '2026-02-20', filedBy: 'lawyer', tribunal: 'Tribunal Quinto de Control', lawyerName: LAWYER, notes: `Solicitud presentada por ${LAWYER}` })
      .expect(201);
    await t.settle();
  });
  afterAll(async () => t?.close());

  it('gives the personal data back, decrypted, through the API', async () => {
    const c = (await request(t).get(`/api/cases/${caseId}`).expect(200)).body;
    expect(c.person).toMatchObject({ fullName: NAME, birthYear: 1971, personalDataErased: false, externalReference: 'FP-2026-ZQY' });
    const events = (await request(t).get(`/api/cases/${caseId}/events`).expect(200)).body.events;
    expect(events.map((e: { type: string; personal: unknown }) => [e.type, e.personal])).toEqual([
      ['CaseOpened', { fullName: NAME, birthYear: 1971, notes: NOTES }],
      ['Detained', { notes: DETENTION_NOTES }],
      ['AmnestyRequested', { lawyerName: LAWYER, notes: `Solicitud presentada por ${LAWYER}` }],
    ]);
    // The list and its name search decrypt too; the search ignores case and accents.
    expect((await request(t).get('/api/cases?q=ZACARIAS').expect(200)).body.items.map((i: { caseId: string; fullName: string }) => [i.caseId, i.fullName])).toEqual([[caseId, NAME]]);
    expect((await request(t).get('/api/cases?q=fp-2026-zqy').expect(200)).body.total).toBe(1);
    expect((await request(t).get('/api/cases?q=Quintero-Ybarras').expect(200)).body.total).toBe(0);
    expect((await request(t).get('/api/amnesty-requests').expect(200)).body.items).toEqual([expect.objectContaining({ caseId, fullName: NAME })]);
    expect((await request(t).get('/api/amnesty-eligibility?asOf=2026-02-19').expect(200)).body.items).toEqual([expect.objectContaining({ caseId, fullName: NAME })]);
  });

  it('stores none of it in clear: not in the event log, the read models, the key store or their WALs', async () => {
    expect(await findInStores(t, IN_CLEAR)).not.toEqual([]);
    expect(await findInStores(t, SECRETS)).toEqual([]);
    if (!TEST_ON_POSTGRES) {
      // The stores looked at really are the deployment's: events, read models and keys.
      expect([...sqliteBytes(t.dataDir).keys()].filter((f) => !f.endsWith('-wal')).sort()).toEqual(['events.sqlite', 'keys.sqlite', 'read-models.sqlite']);
    }
  });

  it('stores the envelope, bound to its case, in the log and in case_profiles.full_name', async () => {
    const [opened] = await t.store.readStream(`case-${caseId}`);
    expect(opened!.personal).toEqual({ $enc: 'aes-256-gcm', kid: caseId, iv: expect.any(String), tag: expect.any(String), ct: expect.any(String) });
    const profile: { fullName: string } | undefined = await t.app
      .get<DataSource>(READ_MODELS)
      .createQueryBuilder()
      .select('p.full_name', 'fullName')
      .from('case_profiles', 'p')
      .where('p.case_id = :caseId', { caseId })
      .getRawOne();
    expect(JSON.parse(profile!.fullName)).toEqual(opened!.personal);
  });

  it('exports bundles with the stored (encrypted) form, which verify', async () => {
    const bundle = (await request(t, 'auditor').get(`/api/audit/export?caseId=${caseId}`).expect(200)).body;
    expect(verifyBundle(bundle)).toMatchObject({ valid: true, eventsChecked: 3 });
    const text = JSON.stringify(bundle);
    for (const s of SECRETS) expect(text).not.toContain(s);
    expect(text).toContain('El Helicoide');
  });

  it('keeps the generated master key in DATA_DIR/master.key, readable by its owner only', () => {
    if (TEST_ON_POSTGRES) {
      expect(existsSync(join(t.dataDir, 'master.key'))).toBe(false);
      return;
    }
    const file = join(t.dataDir, 'master.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')).toHaveLength(32);
  });
});

describe('personal data at rest: the CLI import and export', () => {
  const describeOnSqlite = TEST_ON_POSTGRES ? describe.skip : describe;
  describeOnSqlite('on the embedded stores', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pct-at-rest-cli-'));
    afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
    const cli = (...args: string[]) => {
      const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, EVENT_STORE: 'sqlite', NODE_OPTIONS: '' };
      delete env['DATABASE_URL'];
      delete env['MASTER_KEY'];
      return spawnSync(process.execPath, [DIST.cli, ...args], { env, encoding: 'utf8' });
    };

    it('encrypts what it imports, and decrypts what it exports', () => {
      const file = join(dataDir, 'people.csv');
      writeFileSync(
        file,
        [
          'name,nationalities,gender,minor,military,detention_date,facility,release_date,house_arrest_date,release_conditions,legal_basis,source,external_reference',
          `${NAME},VE,male,,,2025-08-14,El Helicoide,,,,,ngo:Foro Penal,`,
        ].join('\n'),
      );
      const imported = cli('import', file);
      expect(imported.stdout.trim().split('\n').at(-1)).toBe('1 imported, 0 already imported, 0 invalid');
      expect(imported.stderr).toMatch(/generated a master key in .*master\.key/);
      const exported = cli('export', '--as-of', '2026-03-01', '--format', 'json');
      expect(exported.status).toBe(0);
      expect(JSON.parse(exported.stdout)).toEqual([expect.objectContaining({ fullName: NAME, facility: 'El Helicoide', status: 'detained' })]);

      const stores = sqliteBytes(dataDir);
      expect([...stores.values()].some((b) => b.includes(Buffer.from('El Helicoide')))).toBe(true);
      for (const [name, bytes] of stores) for (const s of SECRETS) expect([name, s, bytes.includes(Buffer.from(s, 'utf8'))]).toEqual([name, s, false]);
    }, 60_000);
  });
});
