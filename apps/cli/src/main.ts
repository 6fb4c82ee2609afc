import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { InvalidEnvironmentError, loadEnvironment } from '#config';
import { countByStatus, deprivedOfLiberty } from '#projections';
import { CryptoError } from '#crypto';
import { openKeyStore } from '#infrastructure';
import { openRuntime } from './runtime.js';
import { exportCommand } from './export/export-command.js';
import { importCommand } from './import/import-command.js';
import { reapplyErasuresCommand } from './erasure/reapply-erasures-command.js';
import { verifyBundleCommand, verifyCommand } from './audit/verify-commands.js';
import { BACKUP_USAGE, backupCommand, RESTORE_USAGE, restoreCommand } from './backup/backup-commands.js';
import { BackupError } from './backup/sqlite-backup.js';

/**
 * The operator's CLI: `npm run cli -- <command>`.
 *   import <file.csv> [--skip-invalid]
 *                                   bulk-load a list of prisoners (all rows checked first)
 *   export --as-of D [--known-at T] [--verification all|confirmed] --format csv|json [--out file]
 *                                   the cases and their status then
 *   verify [--from N] [--to N]      walk the hash chain of the configured store
 *   verify-bundle <file>            check an exported audit bundle offline (no database needed)
 *   reapply-erasures                destroy again the keys of erased people (after restoring a key backup)
 *   backup --to <dir> [--with-master-key]
 *                                   online copy of the embedded SQLite files while the API writes (verified)
 *   restore --from <dir>            copy a backup into an empty DATA_DIR, verify it, catch the read models up
 *   migrate                         create or upgrade the event store and read-model schemas
 *   rebuild                         empty the read models and replay the log from position zero
 *   catch-up [--batch-size N] [--throttle-ms N]
 *                                   apply what the read models do not reflect yet, then exit
 *   replay --as-of D [--known-at T] [--verification all|confirmed]
 *                                   print the counts for a day as known at an instant
 */
const USAGE = [
  'usage: cli <command>',
  '  import <file.csv> [--skip-invalid]',
  '  export --as-of YYYY-MM-DD [--known-at ISO] [--verification all|confirmed] --format csv|json [--out file]',
  '  verify [--from N] [--to N]',
  '  verify-bundle <file>',
  '  reapply-erasures',
  `  ${BACKUP_USAGE}`,
  `  ${RESTORE_USAGE}`,
  '  migrate',
  '  rebuild',
  '  catch-up [--batch-size N] [--throttle-ms N]',
  '  replay --as-of YYYY-MM-DD [--known-at ISO] [--verification all|confirmed]',
].join('\n');

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'verify-bundle') return verifyBundleCommand(argv.slice(1));
  if (argv[0] === 'verify') return verifyCommand(argv.slice(1));
  if (argv[0] === 'import') return importCommand(argv.slice(1));
  if (argv[0] === 'export') return exportCommand(argv.slice(1));
  if (argv[0] === 'reapply-erasures') return reapplyErasuresCommand(argv.slice(1));
  if (argv[0] === 'backup') return backupCommand(argv.slice(1));
  if (argv[0] === 'restore') return restoreCommand(argv.slice(1));
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'batch-size': { type: 'string' },
      'throttle-ms': { type: 'string' },
      'as-of': { type: 'string' },
      'known-at': { type: 'string' },
      verification: { type: 'string' },
    },
  });
  const command = positionals[0];
  if (command !== 'rebuild' && command !== 'catch-up' && command !== 'replay' && command !== 'migrate') throw new UsageError(command ? `unknown command ${command}` : 'a command is required');
  const env = loadEnvironment();
  const batchSize = values['batch-size'] ? Number(values['batch-size']) : undefined;
  if (batchSize !== undefined && !(Number.isInteger(batchSize) && batchSize > 0)) throw new UsageError('--batch-size must be a positive integer');
  const runtime = await openRuntime(env, { batchSize });
  try {
    switch (command) {
      case 'migrate': {
        // Opening the stores creates or upgrades their schemas; say where they stand.
        const migrations = (await runtime.readModels.query('SELECT name FROM migrations ORDER BY id')) as { name: string }[];
        console.log(`event store ready (${env.EVENT_STORE}), head position ${await runtime.store.headPosition()}`);
        console.log(`read models at migration ${migrations[migrations.length - 1]?.name ?? 'none'} (${migrations.length} applied)`);
        const keys = await openKeyStore(env);
        await keys.close();
        console.log('key store ready (data keys of personal data)');
        return 0;
      }
      case 'rebuild': {
        const head = await runtime.store.headPosition();
        const bar = new cliProgress.SingleBar({ format: 'rebuild [{bar}] {percentage}% | {value}/{total} events | {rate} events/s', noTTYOutput: true, notTTYSchedule: 2000 }, cliProgress.Presets.shades_classic);
        bar.start(head, 0, { rate: 0 });
        const started = Date.now();
        const { events, seconds } = await runtime.projector.rebuild((p) => bar.update(p.position, { rate: Math.round(p.events / Math.max(0.001, (Date.now() - started) / 1000)) }));
        bar.stop();
        console.log(`rebuilt ${events} events in ${seconds.toFixed(2)} s: ${Math.round(events / Math.max(seconds, 1e-9))} events/s`);
        return 0;
      }
      case 'catch-up': {
        const throttle = values['throttle-ms'] ? Number(values['throttle-ms']) : 0;
        let total = 0;
        // With a throttle, one batch at a time with a pause between: a gentle catch-up on a busy server.
        for (;;) {
          const { behind } = await runtime.projector.lag();
          if (behind === 0) break;
          total += await runtime.projector.catchUp(undefined, undefined, throttle > 0 ? 1 : undefined);
          if (!runtime.projector.isLeader) {
            console.log('another projector holds the lease on these read models: it is keeping them up to date');
            return 0;
          }
          if (throttle > 0) await new Promise((r) => setTimeout(r, throttle));
        }
        console.log(`caught up ${total} events; checkpoint ${await runtime.projector.checkpoint()}`);
        return 0;
      }
      case 'replay': {
        const asOf = values['as-of'];
        if (!asOf || !/^\d{4}-\d{2}-\d{2}$/.test(asOf)) throw new UsageError('--as-of YYYY-MM-DD is required');
        const knownAt = values['known-at'] ? new Date(values['known-at']) : new Date();
        if (Number.isNaN(knownAt.getTime())) throw new UsageError('--known-at must be an ISO 8601 date-time');
        const verification = values.verification ?? 'confirmed';
        if (verification !== 'all' && verification !== 'confirmed') throw new UsageError('--verification must be all or confirmed');
        await runtime.projector.catchUp();
        const counts = await countByStatus(runtime.readModels, { asOf, knownAt: knownAt.toISOString(), scope: verification });
        console.log(JSON.stringify({ asOf, knownAt: knownAt.toISOString(), verification, counts, deprivedOfLiberty: deprivedOfLiberty(counts) }, null, 2));
        return 0;
      }
    }
  } finally {
    await runtime.close();
  }
}

class UsageError extends Error {}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof InvalidEnvironmentError || error instanceof UsageError || error instanceof BackupError) {
      console.error(error.message);
      if (error instanceof UsageError) console.error(USAGE);
      process.exit(2);
    }
    // A missing or wrong master key, a key store that cannot be opened: the message says which.
    if (error instanceof CryptoError) {
      console.error(error.message);
      process.exit(1);
    }
    console.error(error);
    process.exit(1);
  },
);
