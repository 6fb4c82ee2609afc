import type { DataSource } from 'typeorm';
import type { Environment } from '#config';
import type { EventStore } from '#event-store';
import { createProjector, openEventStore, openReadModels } from '#infrastructure';
import type { Projector } from '#projections';

export interface Runtime {
  store: EventStore;
  readModels: DataSource;
  projector: Projector;
  close(): Promise<void>;
}

/** The configured stores and a projector, wired as the API wires them, for one-shot operator commands. */
export async function openRuntime(env: Environment, options: { batchSize?: number } = {}): Promise<Runtime> {
  const store = await openEventStore(env);
  const readModels = await openReadModels(env);
  const projector = createProjector(env, store, readModels, { batchSize: options.batchSize });
  return {
    store,
    readModels,
    projector,
    async close() {
      await projector.stop();
      await readModels.destroy();
      await store.close();
    },
  };
}
