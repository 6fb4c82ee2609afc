import type { EntityManager } from 'typeorm';
import { caseIdOf } from '#application';
import type { RecordedEvent } from '#event-store';
import type { Projection } from '../projection.js';
import { insertRows, ROW_TABLES } from '../case-projection/raw-rows.js';
import type { AuditLogRow } from '../schema/read-model.entities.js';

/** Who recorded what and when, searchable by actor, case and time without scanning the log. */
export class AuditLogProjection implements Projection {
  readonly name = 'audit-log';
  readonly tables = ['audit_log'];

  reset(): void {}

  async apply(batch: readonly RecordedEvent[], tx: EntityManager): Promise<void> {
    const rows: AuditLogRow[] = batch.map((e) => ({
      position: e.position,
      eventId: e.eventId,
      streamId: e.streamId,
      caseId: caseIdOf(e.streamId),
      type: e.type,
      actor: e.metadata.actor,
      recordedAt: e.recordedAt,
      occurredOn: e.metadata.occurredOn,
      correlationId: e.metadata.correlationId,
      commandId: e.metadata.commandId,
    }));
    await insertRows(tx, ROW_TABLES.audit_log, rows as unknown as Record<string, unknown>[]);
  }

  /** One row per event, keyed by its position: the order events arrive in does not matter. */
  rebuildStreams(events: readonly RecordedEvent[], tx: EntityManager): Promise<void> {
    return this.apply(events, tx);
  }
}
