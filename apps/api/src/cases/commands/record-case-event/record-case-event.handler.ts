import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CaseCommandExecutor } from '#application';
import { ID_GENERATOR } from '../../cases.tokens.js';
import type { IdGenerator } from '#domain';
import { RecordCaseEventCommand, type RecordedEventResponse } from './record-case-event.command.js';

@CommandHandler(RecordCaseEventCommand)
export class RecordCaseEventHandler implements ICommandHandler<RecordCaseEventCommand, RecordedEventResponse> {
  constructor(
    private readonly executor: CaseCommandExecutor,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  async execute({ target, request, context }: RecordCaseEventCommand): Promise<RecordedEventResponse> {
    const command = request.toCommand(target, () => this.ids.next());
    const outcome = await this.executor.execute(command, context);
    const last = outcome.events[outcome.events.length - 1]!;
    return {
      caseId: outcome.caseId,
      eventId: last.eventId,
      version: outcome.version,
      position: last.position,
      ...(command.type === 'RequestAmnesty' ? { requestId: command.data.requestId } : {}),
    };
  }
}
