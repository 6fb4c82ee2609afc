import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '#event-store';

/** A read model fed from the global log. `apply` runs inside the transaction that also moves the checkpoint. */
export interface Projection {
  readonly name: string;
  /** Tables a rebuild empties. */
  readonly tables: readonly string[];
  apply(batch: readonly RecordedEvent[], tx: EntityManager): Promise<void>;
  /**
   * A rebuild's input, when every projection takes it: whole streams, each given once with all its
   * events up to the rebuild's head in version order, streams in no particular order. Each row is
   * written once, in its final form. Projections whose rows depend on one event each just apply them.
   */
  rebuildStreams?(events: readonly RecordedEvent[], tx: EntityManager): Promise<void>;
  /**
   * Writes what a rebuild by streams gathered across its transactions (e.g. sums), in its last
   * transaction. A rebuild cut short starts over, so nothing held until then can be lost.
   */
  finishRebuild?(tx: EntityManager): Promise<void>;
  /** Forgets in-memory state: after a rebuild's truncate, or when a transaction failed. */
  reset(): void;
}
