import { Command } from '@nestjs/cqrs';
import type { CommandContext, RecordedFigure } from '#application';
import type { PublishFigureRequestDto } from './publish-figure.request.dto.js';

export class PublishFigureCommand extends Command<RecordedFigure> {
  constructor(
    readonly request: PublishFigureRequestDto,
    readonly context: CommandContext,
  ) {
    super();
  }
}
