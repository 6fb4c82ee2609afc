import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { verifyLog } from '#application';
import { EventStoreKind, loadEnvironment } from '#config';
import { SqliteEventStore } from '#event-store';
import { openPersonalData } from '#infrastructure';
import { openRuntime } from '../runtime.js';
import { backupDataDir, BackupError, restoreDataDir, writeManifest } from './sqlite-backup.js';

export const BACKUP_USAGE = 'backup --to <dir> [--with-master-key]';
export const RESTORE_USAGE = 'restore --from <dir>';

const POSTGRES_ADVICE =
  'backup and restore copy the embedded SQLite files; with PostgreSQL use pg_dump / pg_restore on DATABASE_SCHEMA (see the README, "Reliability")';

/**
 * `backup --to <dir>`: an online copy of DATA_DIR's databases (read models, events, keys, in that
 * order) while the API keeps writing; the events copy is verified (hash chain) and its head
 * recorded in `backup.json`. The generated master key is copied only with `--with-master-key`.
 */
export async function backupCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { to: { type: 'string' }, 'with-master-key': { type: 'boolean' } } });
  if (!values.to) throw new BackupError(`--to <dir> is required\nusage: cli ${BACKUP_USAGE}`);
  const env = loadEnvironment();
  if (env.EVENT_STORE !== EventStoreKind.Sqlite) throw new BackupError(POSTGRES_ADVICE);
  const started = Date.now();
  const manifest = await backupDataDir(env.DATA_DIR, values.to, { includeMasterKey: values['with-master-key'] });
  const chain = await verifyCopy(join(values.to, 'events.sqlite'));
  if (!chain.valid) {
    console.error(`the copied log does not verify: ${JSON.stringify(chain.firstBroken)}`);
    return 1;
  }
  manifest.head = chain.head;
  await writeManifest(values.to, manifest);
  for (const f of manifest.files) console.log(`${f.file}: ${f.bytes} bytes`);
  console.log(`backup in ${values.to}: ${chain.eventsChecked} events, chain intact, head ${chain.head.position} ${chain.head.hash} (${Date.now() - started} ms)`);
  if (!manifest.masterKeyIncluded) console.log('the master key is not in the backup: keep it apart (MASTER_KEY, MASTER_KEY_FILE or DATA_DIR/master.key); without it no name can be read back');
  return 0;
}

/**
 * `restore --from <dir>`: copies a backup into DATA_DIR (which must hold none of its files),
 * verifies the restored log against the head recorded at backup time, checks that the configured
 * master key opens the restored key store, and catches the read models up with the log.
 */
export async function restoreCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { from: { type: 'string' } } });
  if (!values.from) throw new BackupError(`--from <dir> is required\nusage: cli ${RESTORE_USAGE}`);
  const env = loadEnvironment();
  if (env.EVENT_STORE !== EventStoreKind.Sqlite) throw new BackupError(POSTGRES_ADVICE);
  const manifest = await restoreDataDir(values.from, env.DATA_DIR);
  const chain = await verifyCopy(join(env.DATA_DIR, 'events.sqlite'));
  if (!chain.valid || chain.head.position !== manifest.head?.position || chain.head.hash !== manifest.head.hash) {
    console.error(`the restored log does not match the backup: ${JSON.stringify({ chain: chain.valid ? 'intact' : chain.firstBroken, head: chain.head, expected: manifest.head })}`);
    return 1;
  }
  console.log(`restored ${chain.eventsChecked} events into ${env.DATA_DIR}: chain intact, head ${chain.head.position} ${chain.head.hash}`);
  if (manifest.files.some((f) => f.file === 'keys.sqlite')) {
    // A wrong master key stops here with the CryptoError's message.
    const personalData = await openPersonalData(env, { warn: (message) => console.error(`warning: ${message}`) });
    await personalData.close();
    console.log('key store restored; the master key opens it');
  }
  const runtime = await openRuntime(env);
  try {
    const applied = await runtime.projector.catchUp();
    console.log(`read models caught up (${applied} events applied); checkpoint ${await runtime.projector.checkpoint()}`);
  } finally {
    await runtime.close();
  }
  return 0;
}

async function verifyCopy(filename: string) {
  const store = new SqliteEventStore({ filename });
  try {
    return await verifyLog(store);
  } finally {
    await store.close();
  }
}
