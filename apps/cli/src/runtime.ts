import type { DataSource } from 'typeorm';
import { CaseEventCodec } from '#application';
import type { Environment } from '#config';
import type { EventStore } from '#event-store';
import { createProjector, openEventStore, openPersonalData, openReadModels, type PersonalData } from '#infrastructure';
import type { Projector } from '#projections';

export interface Runtime {
  store: EventStore;
  readModels: DataSource;
  projector: Projector;
  /**
   * Encrypts and decrypts personal data as the API does; only opened (master key and key store)
   * for the commands that write or show personal data (`personalData: true`): the others never
   * touch a key.
   */
  codec: CaseEventCodec | null;
  close(): Promise<void>;
}

/** The configured stores and a projector, wired as the API wires them, for one-shot operator commands. */
export async function openRuntime(env: Environment, options: { batchSize?: number; personalData?: boolean } = {}): Promise<Runtime> {
  // Operator messages go to stderr: stdout may be an export.
  const personalData: PersonalData | null = options.personalData ? await openPersonalData(env, { warn: (message) => console.error(`warning: ${message}`) }) : null;
  const store = await openEventStore(env);
  const readModels = await openReadModels(env);
  const projector = createProjector(env, store, readModels, { batchSize: options.batchSize });
  return {
    store,
    readModels,
    projector,
    codec: personalData ? new CaseEventCodec(personalData.cipher) : null,
    async close() {
      await projector.stop();
      await readModels.destroy();
      await store.close();
      await personalData?.close();
    },
  };
}
