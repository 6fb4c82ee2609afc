import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import { ApplicationError } from '#application';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '#event-store';
import { countByStatus, statusChangesBetween } from '#projections';
import { LogPosition } from '../../projections/log-position.js';
import { READ_MODELS } from '../../projections/projections.tokens.js';
import { ReadTime } from '../../projections/read-time.js';
import { GetDiffQuery, type DiffResponse } from './get-diff.query.js';

@QueryHandler(GetDiffQuery)
export class GetDiffHandler implements IQueryHandler<GetDiffQuery, DiffResponse> {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readTime: ReadTime,
    private readonly logPosition: LogPosition,
  ) {}

  async execute({ request: r }: GetDiffQuery): Promise<DiffResponse> {
    if (r.fromPosition > r.toPosition) throw ApplicationError.validationFailed([{ field: 'fromPosition', messages: ['fromPosition must not be after toPosition'] }]);
    const asOf = r.asOf ?? this.readTime.today();
    const scope = r.verification ?? 'confirmed';
    const from = await this.logPosition.resolve(r.fromPosition);
    const to = await this.logPosition.resolve(r.toPosition);
    const counts = (position: number) => countByStatus(this.readModels, { asOf, knownAt: '', scope, atPosition: position });
    const changes = await statusChangesBetween(this.readModels, { fromPosition: from.position, toPosition: to.position, asOf, scope });
    const events = new Map<number, RecordedEvent>();
    for (const position of new Set(changes.map((c) => c.position))) {
      for await (const batch of this.store.readAll({ after: position - 1, upTo: position, batchSize: 1 })) for (const e of batch) events.set(e.position, e);
    }
    return {
      asOf,
      verification: scope,
      from: { ...from, counts: await counts(from.position) },
      to: { ...to, counts: await counts(to.position) },
      changes: changes.map((c) => {
        const e = events.get(c.position)!;
        return { ...c, eventId: e.eventId, type: e.type, recordedAt: e.recordedAt, actor: e.metadata.actor };
      }),
    };
  }
}
