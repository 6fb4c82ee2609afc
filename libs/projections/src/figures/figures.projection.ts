import type { EntityManager } from 'typeorm';
import { FIGURE_STREAM_PREFIX, type FigurePublished } from '#domain';
import type { RecordedEvent } from '#event-store';
import type { Projection } from '../projection.js';
import { PublishedFigureEntity, type PublishedFigureRow } from '../schema/read-model.entities.js';

/** Published figures, one row each, with when they were recorded. */
export class FiguresProjection implements Projection {
  readonly name = 'figures';
  readonly tables = ['published_figures'];

  reset(): void {}

  async apply(batch: readonly RecordedEvent[], tx: EntityManager): Promise<void> {
    const rows: PublishedFigureRow[] = [];
    for (const e of batch) {
      if (!e.streamId.startsWith(FIGURE_STREAM_PREFIX) || e.type !== 'FigurePublished') continue;
      const d = e.data as unknown as FigurePublished['data'];
      rows.push({
        figureId: d.figureId,
        sourceKind: d.source.kind,
        sourceName: d.source.name,
        metric: d.metric,
        value: d.value,
        since: d.since,
        asOf: d.asOf,
        reference: d.reference,
        recordedAt: e.recordedAt,
        position: e.position,
      });
    }
    if (rows.length > 0) await tx.insert(PublishedFigureEntity, rows);
  }

  /** One row per published figure: the order events arrive in does not matter. */
  rebuildStreams(events: readonly RecordedEvent[], tx: EntityManager): Promise<void> {
    return this.apply(events, tx);
  }
}
