import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '#application';

/** What an erasure answers: the `PersonalDataErased` event's place in its stream and in the log. */
export interface ErasedResponse {
  caseId: string;
  eventId: string;
  version: number;
  position: number;
}

export class ErasePersonalDataCommand extends Command<ErasedResponse> {
  constructor(
    readonly caseId: string,
    readonly reason: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}
