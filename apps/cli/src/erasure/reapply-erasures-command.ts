import { caseIdOf } from '#application';
import { loadEnvironment } from '#config';
import type { EventStore } from '#event-store';
import type { PersonalDataCipher } from '#crypto';
import { openEventStore, openPersonalData } from '#infrastructure';

export const REAPPLY_ERASURES_USAGE = 'usage: cli reapply-erasures';

/**
 * Destroys again the data key of every case whose log holds `PersonalDataErased`. Run it after
 * restoring a key store from a backup older than an erasure: such a backup still holds the key,
 * and without this the person's data would be readable again. Idempotent. Returns how many keys
 * were alive and are destroyed now.
 */
export async function reapplyErasures(store: EventStore, cipher: PersonalDataCipher): Promise<{ erasures: number; destroyedAgain: string[] }> {
  const erased = new Set<string>();
  for await (const batch of store.readAll({ after: 0, batchSize: 1000 })) {
    for (const e of batch) {
      const caseId = caseIdOf(e.streamId);
      if (e.type === 'PersonalDataErased' && caseId !== null) erased.add(caseId);
    }
  }
  const destroyedAgain: string[] = [];
  for (const caseId of erased) if ((await cipher.erase(caseId)) !== 'already-destroyed') destroyedAgain.push(caseId);
  return { erasures: erased.size, destroyedAgain };
}

/** `cli reapply-erasures`: see {@link reapplyErasures}. */
export async function reapplyErasuresCommand(argv: string[]): Promise<number> {
  if (argv.length > 0) {
    console.error(REAPPLY_ERASURES_USAGE);
    return 2;
  }
  const env = loadEnvironment();
  const personalData = await openPersonalData(env, { warn: (message) => console.error(`warning: ${message}`) });
  try {
    const store = await openEventStore(env);
    try {
      const { erasures, destroyedAgain } = await reapplyErasures(store, personalData.cipher);
      for (const caseId of destroyedAgain) console.log(`case ${caseId}: its key was alive again (restored from a backup?) and is destroyed`);
      console.log(`${erasures} erasure${erasures === 1 ? '' : 's'} in the log, ${destroyedAgain.length} key${destroyedAgain.length === 1 ? '' : 's'} destroyed again`);
      return 0;
    } finally {
      await store.close();
    }
  } finally {
    await personalData.close();
  }
}
