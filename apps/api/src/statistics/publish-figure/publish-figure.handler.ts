import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { FigureRecorder, type RecordedFigure } from '#application';
import { PublishFigureCommand } from './publish-figure.command.js';

@CommandHandler(PublishFigureCommand)
export class PublishFigureHandler implements ICommandHandler<PublishFigureCommand, RecordedFigure> {
  constructor(private readonly recorder: FigureRecorder) {}

  execute({ request: r, context }: PublishFigureCommand): Promise<RecordedFigure> {
    return this.recorder.publish(
      { source: r.source.toSource(), metric: r.metric, value: r.value, since: r.since ?? null, asOf: r.asOf, reference: r.reference ?? null },
      context,
    );
  }
}
