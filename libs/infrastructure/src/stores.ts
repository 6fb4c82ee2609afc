import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { EventStoreKind, type Environment } from '#config';
import { KurrentDbEventStore, PostgresEventStore, SqliteEventStore, type EventStore } from '#event-store';
import { AuditLogProjection, CaseHistoryProjection, FiguresProjection, openPostgresReadModels, openSqliteReadModels, Projector } from '#projections';

/**
 * The one place that turns settings into stores, so that the API, the projector and the CLI run
 * on exactly the same wiring.
 */
export async function openEventStore(env: Environment, now: () => Date = () => new Date()): Promise<EventStore> {
  switch (env.EVENT_STORE) {
    case EventStoreKind.Sqlite:
      return new SqliteEventStore({ filename: join(env.DATA_DIR, 'events.sqlite'), now });
    case EventStoreKind.Postgres:
      return PostgresEventStore.open({ connectionString: env.DATABASE_URL!, schema: env.DATABASE_SCHEMA, now });
    case EventStoreKind.KurrentDb:
      return KurrentDbEventStore.open({ connectionString: env.KURRENTDB_URL!, now });
    default: {
      const exhaustive: never = env.EVENT_STORE;
      throw new Error(`unknown event store ${String(exhaustive)}`);
    }
  }
}

/** SQLite beside the embedded event store; PostgreSQL with the production stores, shared by every process. */
export function openReadModels(env: Environment): Promise<DataSource> {
  return env.EVENT_STORE === EventStoreKind.Sqlite
    ? openSqliteReadModels(join(env.DATA_DIR, 'read-models.sqlite'))
    : openPostgresReadModels(env.DATABASE_URL!, env.DATABASE_SCHEMA);
}

export function createProjector(env: Environment, store: EventStore, readModels: DataSource, options: { batchSize?: number; now?: () => Date } = {}): Projector {
  return new Projector(store, readModels, [new CaseHistoryProjection(store, { timeZone: env.TIME_ZONE }), new FiguresProjection(), new AuditLogProjection()], options);
}
