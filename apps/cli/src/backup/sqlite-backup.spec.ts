import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { backupDataDir, backupSqliteFile, BackupError, readManifest, restoreDataDir, writeManifest } from './sqlite-backup.js';

describe('SQLite online backup', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pct-backup-spec-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A WAL database whose every transaction writes two rows: a copy holding an odd count split a transaction. */
  const pairedDatabase = (file: string) => {
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE rows (id INTEGER PRIMARY KEY, pair INTEGER NOT NULL, padding TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO rows (pair, padding) VALUES (?, ?)');
    let pair = 0;
    const writePair = db.transaction(() => {
      pair++;
      insert.run(pair, 'x'.repeat(2000));
      insert.run(pair, 'y'.repeat(2000));
    });
    return { db, writePair };
  };

  it('copies a database that another connection keeps writing to as of one commit (no transaction split), and the copy passes its integrity check', async () => {
    const source = join(dir, 'events.sqlite');
    const { db, writePair } = pairedDatabase(source);
    for (let i = 0; i < 2000; i++) writePair();
    let writesDuringBackup = 0;
    const writer = setInterval(() => {
      for (let i = 0; i < 20; i++) writePair();
      writesDuringBackup++;
    }, 0);
    try {
      const copies = await Promise.all([1, 2, 3].map((n) => backupSqliteFile(source, join(dir, `copy-${n}.sqlite`))));
      expect(copies.every((c) => c.pages > 100)).toBe(true);
    } finally {
      clearInterval(writer);
    }
    expect(writesDuringBackup).toBeGreaterThan(0);
    for (const n of [1, 2, 3]) {
      const copy = new Database(join(dir, `copy-${n}.sqlite`), { readonly: true });
      const { rows, pairs } = copy.prepare('SELECT count(*) AS rows, count(DISTINCT pair) AS pairs FROM rows').get() as { rows: number; pairs: number };
      copy.close();
      expect(rows).toBeGreaterThanOrEqual(4000);
      expect(rows).toBe(pairs * 2);
    }
    db.close();
  });

  it('backs up a DATA_DIR (read models, events, keys; the master key only when asked) and restores it only into a directory without those files', async () => {
    const dataDir = join(dir, 'data');
    const backupDir = join(dir, 'backup');
    await expect(backupDataDir(dataDir, backupDir)).rejects.toThrow(BackupError); // no events.sqlite
    mkdirSync(dataDir);
    for (const file of ['events.sqlite', 'read-models.sqlite', 'keys.sqlite']) {
      const { db, writePair } = pairedDatabase(join(dataDir, file));
      writePair();
      db.close();
    }
    writeFileSync(join(dataDir, 'master.key'), 'secret\n');
    const manifest = await backupDataDir(dataDir, backupDir);
    expect(manifest.files.map((f) => f.file)).toEqual(['read-models.sqlite', 'events.sqlite', 'keys.sqlite']);
    expect(manifest.masterKeyIncluded).toBe(false);
    await writeManifest(backupDir, { ...manifest, head: { position: 1, hash: 'h' } });
    await expect(backupDataDir(dataDir, backupDir)).rejects.toThrow(/already holds a backup/);

    const restored = join(dir, 'restored');
    expect((await restoreDataDir(backupDir, restored)).head).toEqual({ position: 1, hash: 'h' });
    const copy = new Database(join(restored, 'events.sqlite'), { readonly: true });
    expect(copy.prepare('SELECT count(*) AS n FROM rows').get()).toEqual({ n: 2 });
    copy.close();
    await expect(restoreDataDir(backupDir, restored)).rejects.toThrow(/already exists/);
    await expect(readManifest(dataDir)).rejects.toThrow(/not a backup/);

    const withKey = await backupDataDir(dataDir, join(dir, 'with-key'), { includeMasterKey: true });
    expect(withKey.masterKeyIncluded).toBe(true);
  });
});

