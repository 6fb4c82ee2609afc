import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { PersonalDataEraser } from '#application';
import { ErasePersonalDataCommand, type ErasedResponse } from './erase-personal-data.command.js';

@CommandHandler(ErasePersonalDataCommand)
export class ErasePersonalDataHandler implements ICommandHandler<ErasePersonalDataCommand, ErasedResponse> {
  constructor(private readonly eraser: PersonalDataEraser) {}

  async execute({ caseId, reason, context }: ErasePersonalDataCommand): Promise<ErasedResponse> {
    const outcome = await this.eraser.erase(caseId, reason, context);
    const last = outcome.events[outcome.events.length - 1]!;
    return { caseId: outcome.caseId, eventId: last.eventId, version: outcome.version, position: last.position };
  }
}
