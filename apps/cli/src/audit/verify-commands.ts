import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { verifyBundle, verifyLog } from '#application';
import { loadEnvironment } from '#config';
import { openEventStore } from '#infrastructure';

/** `verify [--from N] [--to N]`: walks the chain in the configured store. Exit 1 when a link is broken. */
export async function verifyCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { from: { type: 'string' }, to: { type: 'string' } } });
  const position = (v: string | undefined, name: string) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer`);
    return n;
  };
  const store = await openEventStore(loadEnvironment());
  try {
    const result = await verifyLog(store, { from: position(values.from, 'from'), to: position(values.to, 'to') });
    console.log(JSON.stringify(result, null, 2));
    console.log(
      result.valid
        ? `chain intact: ${result.eventsChecked} events checked, head ${result.head.position} ${result.head.hash}`
        : `chain BROKEN at position ${result.firstBroken!.position}: ${result.firstBroken!.reason}`,
    );
    return result.valid ? 0 : 1;
  } finally {
    await store.close();
  }
}

/** `verify-bundle <file>`: checks an exported bundle offline, with no database and no settings. */
export async function verifyBundleCommand(argv: string[]): Promise<number> {
  const file = argv[0];
  if (!file) throw new Error('verify-bundle needs the bundle file');
  const result = verifyBundle(JSON.parse(await readFile(file, 'utf8')));
  console.log(JSON.stringify(result, null, 2));
  console.log(result.valid ? `bundle intact: ${result.eventsChecked} events, ${result.linksChecked} links checked` : `bundle INVALID: ${result.problems[0]!.problem}`);
  return result.valid ? 0 : 1;
}
