import { constants } from 'node:fs';
import { access, copyFile, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/**
 * The embedded deployment's files, in the order they are backed up. The read models go first: their
 * checkpoint then never points past the events copied after them (the restore catches them up).
 * The key store goes after the events (as the README asks): a key created by a command in the
 * events copy is then in the key copy too, and an erasure in the events copy has destroyed its key
 * in the key copy as well.
 */
export const DATA_FILES = [
  { file: 'read-models.sqlite', required: false, holds: 'read models, access tokens and the access log' },
  { file: 'events.sqlite', required: true, holds: 'the event log' },
  { file: 'keys.sqlite', required: false, holds: 'the wrapped data keys of personal data' },
] as const;

/** The generated master key (embedded deployments without MASTER_KEY): copied only when asked, since it should be kept apart. */
export const MASTER_KEY_FILE = 'master.key';
export const MANIFEST_FILE = 'backup.json';

export interface BackupManifest {
  format: 'prisoner-case-tracker-sqlite-backup/1';
  createdAt: string;
  files: { file: string; bytes: number; pages: number }[];
  masterKeyIncluded: boolean;
  /** The last event of the copied log and its chain hash, filled in by the caller once the copy is verified. */
  head: { position: number; hash: string } | null;
}

/**
 * Copies one SQLite database with SQLite's online backup API while other processes keep writing to
 * it. All pages are copied in one step, that is in one read transaction: the copy is the database
 * as of one commit, never a mix (a step that would see a write since the last one starts over).
 * The copy is then checked with `PRAGMA integrity_check`.
 */
export async function backupSqliteFile(source: string, target: string): Promise<{ pages: number }> {
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    // WAL writers hold the lock for a moment only: wait for it rather than fail.
    db.pragma('busy_timeout = 10000');
    const result = await db.backup(target, { progress: () => 0x7fffffff });
    const copy = new Database(target, { fileMustExist: true });
    try {
      const check = copy.pragma('integrity_check', { simple: true });
      if (check !== 'ok') throw new Error(`the copy of ${source} fails its integrity check: ${String(check)}`);
    } finally {
      copy.close();
    }
    return { pages: result.totalPages };
  } finally {
    db.close();
  }
}

const exists = (path: string) => access(path).then(
  () => true,
  () => false,
);

/** Backs up a DATA_DIR into `targetDir` (created; it must not already hold a backup). Answers the manifest, written there too. */
export async function backupDataDir(dataDir: string, targetDir: string, options: { includeMasterKey?: boolean } = {}): Promise<BackupManifest> {
  await mkdir(targetDir, { recursive: true });
  if (await exists(join(targetDir, MANIFEST_FILE))) throw new BackupError(`${targetDir} already holds a backup; choose an empty directory`);
  const manifest: BackupManifest = { format: 'prisoner-case-tracker-sqlite-backup/1', createdAt: new Date().toISOString(), files: [], masterKeyIncluded: false, head: null };
  for (const { file, required } of DATA_FILES) {
    const source = join(dataDir, file);
    if (!(await exists(source))) {
      if (required) throw new BackupError(`${source} does not exist: is DATA_DIR the deployment's data directory?`);
      continue;
    }
    const target = join(targetDir, file);
    if (await exists(target)) throw new BackupError(`${target} already exists; choose an empty directory`);
    const { pages } = await backupSqliteFile(source, target);
    const { size: bytes } = await stat(target);
    manifest.files.push({ file, bytes, pages });
  }
  if (options.includeMasterKey) {
    const source = join(dataDir, MASTER_KEY_FILE);
    if (!(await exists(source))) throw new BackupError(`${source} does not exist (the master key comes from MASTER_KEY or MASTER_KEY_FILE): back that up apart`);
    await copyFile(source, join(targetDir, MASTER_KEY_FILE), constants.COPYFILE_EXCL);
    manifest.masterKeyIncluded = true;
  }
  return manifest;
}

export async function writeManifest(targetDir: string, manifest: BackupManifest): Promise<void> {
  await writeFile(join(targetDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`, { flag: 'wx' });
}

export async function readManifest(backupDir: string): Promise<BackupManifest> {
  const path = join(backupDir, MANIFEST_FILE);
  if (!(await exists(path))) throw new BackupError(`${path} does not exist: not a backup made by \`cli backup\``);
  const manifest = JSON.parse(await readFile(path, 'utf8')) as BackupManifest;
  if (manifest.format !== 'prisoner-case-tracker-sqlite-backup/1') throw new BackupError(`${path} is not a backup this version can restore (${String(manifest.format)})`);
  return manifest;
}

/**
 * Copies a backup's files into a DATA_DIR that holds none of them (restoring over a live deployment
 * would mix two histories: move it away first). The caller verifies the restored log.
 */
export async function restoreDataDir(backupDir: string, dataDir: string): Promise<BackupManifest> {
  const manifest = await readManifest(backupDir);
  await mkdir(dataDir, { recursive: true });
  const names = [...manifest.files.map((f) => f.file), ...(manifest.masterKeyIncluded ? [MASTER_KEY_FILE] : [])];
  for (const name of names) {
    for (const suffix of ['', '-wal', '-shm']) {
      if (await exists(join(dataDir, name + suffix))) throw new BackupError(`${join(dataDir, name + suffix)} already exists: restore into an empty DATA_DIR`);
    }
  }
  for (const name of names) await copyFile(join(backupDir, name), join(dataDir, name), constants.COPYFILE_EXCL);
  return manifest;
}

/** A backup or restore refused for a reason the operator can fix (exit 2, message only). */
export class BackupError extends Error {}
