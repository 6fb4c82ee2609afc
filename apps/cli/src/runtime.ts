import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import type { Environment } from '#config';
import { SqliteEventStore, type EventStore } from '#event-store';
import { CaseHistoryProjection, FiguresProjection, openSqliteReadModels, Projector } from '#projections';

export interface Runtime {
  store: EventStore;
  readModels: DataSource;
  projector: Projector;
  close(): Promise<void>;
}

/** The embedded stores and the projector, as the API wires them, for one-shot operator commands. */
export async function openRuntime(env: Environment, options: { batchSize?: number } = {}): Promise<Runtime> {
  const store = new SqliteEventStore({ filename: join(env.DATA_DIR, 'events.sqlite') });
  const readModels = await openSqliteReadModels(join(env.DATA_DIR, 'read-models.sqlite'));
  const projector = new Projector(store, readModels, [new CaseHistoryProjection(store, { timeZone: env.TIME_ZONE }), new FiguresProjection()], {
    batchSize: options.batchSize,
  });
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
