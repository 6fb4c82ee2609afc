import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '#application';
import type { OpenCaseRequestDto } from './open-case.request.dto.js';

export interface OpenedCaseResponse {
  caseId: string;
  version: number;
}

export class OpenCaseCommand extends Command<OpenedCaseResponse> {
  constructor(
    readonly request: OpenCaseRequestDto,
    readonly context: CommandContext,
  ) {
    super();
  }
}
