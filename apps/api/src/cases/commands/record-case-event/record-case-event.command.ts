import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '#application';
import type { CaseCommandRequest, CommandTarget } from '../shared/case-command-request.js';

/** What a recorded command answers: the new event's place in its stream and in the global log. */
export interface RecordedEventResponse {
  caseId: string;
  eventId: string;
  version: number;
  position: number;
  /** Set when the command filed an amnesty request. */
  requestId?: string;
}

export class RecordCaseEventCommand extends Command<RecordedEventResponse> {
  constructor(
    readonly target: CommandTarget,
    readonly request: CaseCommandRequest,
    readonly context: CommandContext,
  ) {
    super();
  }
}
