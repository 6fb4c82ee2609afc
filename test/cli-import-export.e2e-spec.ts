import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDays } from '#domain';
import { SqliteEventStore } from '#event-store';
import { parseCsv } from '../apps/cli/src/import/csv-parser.js';

/**
 * The operator's bulk import and export, run as an operator would: the built CLI in its own
 * process, on a temporary DATA_DIR.
 */
const ROOT = join(import.meta.dirname, '..');
const CLI = join(ROOT, 'dist/apps/cli/src/main.js');

const HEADER = 'name,nationalities,gender,minor,military,detention_date,facility,release_date,house_arrest_date,release_conditions,legal_basis,source,external_reference';
/** Cases from the seed (../shared/seed): dates as the seed gives them; withheld names where it gives none. */
const SEED_ROWS = [
  'Rocío San Miguel,ES|VE,female,false,false,2024-02-09,El Helicoide,2026-01-08,,report:30;speech,,ngo:Foro Penal,',
  'Enrique Márquez,VE,male,,,2025-01-07,,2026-01-08,,,,ngo:Foro Penal,',
  'Freddy Superlano,VE,male,,,2024-07-28,,2026-02-27,2026-02-08,,amnesty_law,ngo:Foro Penal,',
  'Juan Pablo Guanipa,VE,male,,,2025-04-23,,2026-02-19,2026-02-10,,amnesty_law,media:El Nacional,',
  'Kennedy Tejeda,VE,male,,,2024-08-02,,2026-01-25,,report:30;speech,,ngo:Foro Penal,',
  ',IT|VE,male,,,2024-08-28,,2026-01-08,,report:30;speech,,ngo:Foro Penal,FP-0002',
  ',IT,male,,,2024-11-15,,2026-01-12,,,,government:Italian government,FP-0003',
  ',VE,male,,,2024-08-02,,2026-01-14,,report:30;speech;travel,,ngo:Foro Penal,FP-0004',
  ',VE,female,,,2024-04-15,,2026-01-14,,report:30,,ngo:Foro Penal,FP-0005',
  ',VE,male,,,2025-01-07,,2026-01-22,,report:30;speech,,ngo:Foro Penal,FP-0006',
  ',VE,male,,,2025-05-13,,2026-01-30,,report:30;speech,,ngo:Foro Penal,FP-0007',
  ',VE,male,,,2021-07-03,El Helicoide,2026-02-01,,,,ngo:Foro Penal,FP-0008',
  ',VE,male,,,2025-02-24,,2026-02-04,,report:30,,ngo:Foro Penal,FP-0009',
  ',VE,male,,,2024-08-06,,2026-02-08,,,amnesty_law,ngo:Foro Penal,FP-0010',
  ',VE,female,,,2024-12-10,,2026-02-08,,,,ngo:Foro Penal,FP-0011',
  ',VE,male,,,2025-02-12,,2026-02-08,,,,ngo:Foro Penal,FP-0012',
  ',VE,male,,,2024-09-03,,,2026-02-08,,,ngo:Foro Penal,FP-0013',
  ',AR,male,,true,2024-12-08,Rodeo I,,,,,family:Family,FP-0014',
  'German Giuliani,AR,male,,,2025-03-14,Rodeo I,,,,,lawyer:Defence,',
  // A release counted in the government figures though it was before the strikes (El Nacional).
  ',VE,female,,,2025-06-01,,2025-12-20,,,,media:El Nacional,FP-0020',
];
const BAD_ROWS = [
  '"Release, Before Detention",VE,male,,,2025-03-01,,2025-02-01,,,,,', // line 22
  'Nobody,VE|ZZ,male,,,2099-01-01,,,,,,,', // line 23
];

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

describe('cli import and export', () => {
  let dataDir: string;
  let files: string;
  const run = (...args: string[]): Run => {
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, TIME_ZONE: 'America/Caracas', EVENT_STORE: 'sqlite', NODE_OPTIONS: '' };
    delete env['DATABASE_URL'];
    const r = spawnSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const head = async (): Promise<number> => {
    const store = new SqliteEventStore({ filename: join(dataDir, 'events.sqlite') });
    try {
      return await store.headPosition();
    } finally {
      await store.close();
    }
  };
  const seedFile = () => join(files, 'seed.csv');

  beforeAll(() => {
    // The child process runs the built CLI (jest's global setup builds it), as an operator would.
    dataDir = mkdtempSync(join(tmpdir(), 'pct-import-'));
    files = mkdtempSync(join(tmpdir(), 'pct-import-files-'));
    // CRLF line ends, a quoted field with a comma, the two bad rows last (lines 22 and 23).
    writeFileSync(seedFile(), [HEADER, ...SEED_ROWS, ...BAD_ROWS].join('\r\n') + '\r\n');
  }, 180_000);
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(files, { recursive: true, force: true });
  });

  it('refuses a file with bad rows: reports each as `line N: field: message`, writes nothing, exits 1', async () => {
    const r = run('import', seedFile());
    expect(r.status).toBe(1);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('line '))).toEqual([
      'line 22: release_date: 2025-02-01 is before the detention on 2025-03-01',
      'line 23: nationalities: "ZZ" is not an ISO 3166-1 alpha-2 country code',
      expect.stringMatching(/^line 23: detention_date: 2099-01-01 is in the future \(today is \d{4}-\d{2}-\d{2}\)$/),
    ]);
    expect(r.stdout).toContain('nothing imported: 2 invalid rows');
    expect(await head()).toBe(0);
  }, 60_000);

  it('imports the good rows with --skip-invalid, and reports the bad ones', async () => {
    const r = run('import', seedFile(), '--skip-invalid');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('line 22: release_date:');
    expect(r.stdout.trim().split('\n').at(-1)).toBe('20 imported, 0 already imported, 2 invalid');
    // 20 openings with their first detention, 17 releases and 3 house arrests.
    expect(await head()).toBe(20 * 2 + 17 + 3);
  }, 60_000);

  it('writes nothing new when the same file is imported again', async () => {
    const before = await head();
    const r = run('import', seedFile(), '--skip-invalid');
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n').at(-1)).toBe('0 imported, 20 already imported, 2 invalid');
    expect(await head()).toBe(before);
  }, 60_000);

  it('rejects rows that contradict what an earlier import recorded, and writes nothing', async () => {
    const before = await head();
    const changed = join(files, 'changed.csv');
    writeFileSync(
      changed,
      [
        HEADER,
        SEED_ROWS[0]!.replace('2026-01-08', '2026-01-09'), // another release of someone already released
        SEED_ROWS[1]!.replace(',male,', ',other,'), // the same person with other details
        SEED_ROWS[2],
      ].join('\n'),
    );
    const r = run('import', changed);
    expect(r.status).toBe(1);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('line '))).toEqual([
      'line 2: release_date: Released needs the person to be deprived of liberty, but they are conditional_release since 2026-01-08 (NOT_IN_CUSTODY)',
      expect.stringMatching(/^line 3: name: case [0-9a-f-]{36} was already imported with other details/),
    ]);
    expect(r.stdout).toContain('nothing imported: 2 invalid rows');
    expect(await head()).toBe(before);
  }, 60_000);

  it('exports the cases and their status on a day as CSV', () => {
    const r = run('export', '--as-of', '2026-01-07', '--format', 'csv');
    expect(r.status).toBe(0);
    expect(r.stdout.endsWith('\r\n')).toBe(true);
    const [header, ...records] = parseCsv(r.stdout).map((rec) => rec.fields);
    expect(header).toEqual(['case_id', 'name', 'name_withheld', 'nationalities', 'gender', 'minor', 'military', 'external_reference', 'status', 'status_since', 'facility']);
    expect(records).toHaveLength(20);
    const byKey = new Map(records.map((f) => [f[1] || f[7]!, f]));
    expect(byKey.get('Rocío San Miguel')!.slice(1, 11)).toEqual(['Rocío San Miguel', 'false', 'ES|VE', 'female', 'false', 'false', '', 'detained', '2024-02-09', 'El Helicoide']);
    expect(byKey.get('FP-0014')!.slice(1, 11)).toEqual(['', 'true', 'AR', 'male', 'false', 'true', 'FP-0014', 'detained', '2024-12-08', 'Rodeo I']);
    expect(byKey.get('FP-0020')!.slice(8, 10)).toEqual(['released', '2025-12-20']);
    const statuses = records.map((f) => f[8]);
    expect(statuses.filter((s) => s === 'detained')).toHaveLength(19);
  }, 60_000);

  it('exports the cases and their status on a later day as JSON', () => {
    const r = run('export', '--as-of', '2026-03-01', '--format', 'json');
    expect(r.status).toBe(0);
    const items = JSON.parse(r.stdout) as { fullName: string | null; externalReference: string | null; status: string; statusSince: string | null }[];
    expect(items).toHaveLength(20);
    const status = (key: string) => {
      const item = items.find((i) => i.fullName === key || i.externalReference === key)!;
      return [item.status, item.statusSince];
    };
    expect(status('Rocío San Miguel')).toEqual(['conditional_release', '2026-01-08']);
    expect(status('Enrique Márquez')).toEqual(['released', '2026-01-08']);
    expect(status('Freddy Superlano')).toEqual(['released', '2026-02-27']);
    expect(status('Juan Pablo Guanipa')).toEqual(['released', '2026-02-19']);
    expect(status('FP-0013')).toEqual(['house_arrest', '2026-02-08']);
    expect(status('German Giuliani')).toEqual(['detained', '2025-03-14']);
    const count = (s: string) => items.filter((i) => i.status === s).length;
    expect([count('detained'), count('house_arrest'), count('conditional_release'), count('released')]).toEqual([2, 1, 8, 9]);
    // Known at an instant before the import: nothing.
    const before = run('export', '--as-of', '2026-03-01', '--known-at', '2020-01-01T00:00:00Z', '--format', 'json');
    expect(before.status).toBe(0);
    expect(JSON.parse(before.stdout)).toEqual([]);
  }, 60_000);

  it('imports a file of 1,500 generated rows, with a progress bar, and exports them all, formula-safe', async () => {
    const rows = [HEADER];
    for (let i = 0; i < 1500; i++) {
      const detained = addDays('2024-01-01', i % 700);
      const released = i % 3 === 0 ? addDays('2026-01-08', i % 50) : '';
      const houseArrest = i % 10 === 1 ? addDays('2026-02-08', i % 7) : '';
      const name = i === 7 ? '=HYPERLINK("http://example.com","x")' : `Persona ${i}`;
      rows.push(
        [`"${name.replace(/"/g, '""')}"`, i % 4 === 0 ? 'CO|VE' : 'VE', i % 2 ? 'male' : 'female', '', '', detained, 'Rodeo I', released, houseArrest, released && i % 2 ? 'report:30;speech' : '', '', 'ngo:Foro Penal', `GEN-${i}`].join(','),
      );
    }
    const big = join(files, 'big.csv');
    writeFileSync(big, rows.join('\n') + '\n');
    const before = await head();
    const r = run('import', big);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe('1500 imported, 0 already imported, 0 invalid');
    expect(r.stderr).toMatch(/import \[.*\] 100% \| 1500\/1500 rows/);
    const releases = rows.slice(1).filter((_, i) => i % 3 === 0).length;
    const houseArrests = rows.slice(1).filter((_, i) => i % 10 === 1).length;
    expect((await head()) - before).toBe(1500 * 2 + releases + houseArrests);

    const out = join(files, 'all.csv');
    const exported = run('export', '--as-of', '2026-03-01', '--format', 'csv', '--out', out);
    expect(exported.status).toBe(0);
    expect(exported.stdout).toBe('');
    const records = parseCsv(readFileSync(out, 'utf8'));
    expect(records).toHaveLength(1 + 1520);
    expect(records.find((rec) => rec.fields[7] === 'GEN-7')!.fields[1]).toBe('\'=HYPERLINK("http://example.com","x")');
  }, 180_000);
});
