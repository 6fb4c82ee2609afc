import { decidePublishFigure, FIGURE_EVENT_SCHEMA_VERSIONS, FIGURE_STREAM_PREFIX, type Clock, type IdGenerator, type PublishFigure } from '#domain';
import type { EventStore, JsonObject } from '#event-store';
import { ApplicationError, ApplicationErrorCode } from './application-error.js';
import type { CommandContext } from './case-command-executor.js';

export interface RecordedFigure {
  figureId: string;
  eventId: string;
  position: number;
}

/** Records a published figure in a stream of its own (`figure-<id>`), expected to be new. */
export class FigureRecorder {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly timeZone: string,
  ) {}

  async publish(data: Omit<PublishFigure['data'], 'figureId'>, context: Omit<CommandContext, 'expectedVersion'>): Promise<RecordedFigure> {
    const commandId = context.idempotencyKey ?? this.ids.next();
    if (context.idempotencyKey !== null) {
      const earlier = await this.store.findCommand(commandId);
      if (earlier) {
        if (!earlier.streamId.startsWith(FIGURE_STREAM_PREFIX)) {
          throw new ApplicationError(ApplicationErrorCode.IdempotencyKeyReused, 'this Idempotency-Key was already used for another kind of command');
        }
        return { figureId: earlier.streamId.slice(FIGURE_STREAM_PREFIX.length), eventId: earlier.events[0]!.eventId, position: earlier.events[0]!.position };
      }
    }
    const figureId = this.ids.next();
    const [event] = decidePublishFigure({ type: 'PublishFigure', data: { ...data, figureId } }, { now: this.clock.now(), timeZone: this.timeZone });
    const result = await this.store.append(
      `${FIGURE_STREAM_PREFIX}${figureId}`,
      [
        {
          eventId: this.ids.next(),
          type: event!.type,
          schemaVersion: FIGURE_EVENT_SCHEMA_VERSIONS.FigurePublished,
          data: event!.data as unknown as JsonObject,
          personal: null,
          metadata: {
            occurredOn: data.asOf,
            datePrecision: 'day',
            source: data.source as unknown as JsonObject,
            verification: 'confirmed',
            actor: context.actor,
            commandId,
            correlationId: context.correlationId,
            causationId: context.causationId,
          },
        },
      ],
      { expectedVersion: 0, commandId },
    );
    return { figureId: result.streamId.slice(FIGURE_STREAM_PREFIX.length), eventId: result.events[0]!.eventId, position: result.events[0]!.position };
  }
}
