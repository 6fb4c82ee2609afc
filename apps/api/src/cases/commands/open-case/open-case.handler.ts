import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CaseCommandExecutor } from '#application';
import type { IdGenerator } from '#domain';
import { ID_GENERATOR } from '../../cases.tokens.js';
import { OpenCaseCommand, type OpenedCaseResponse } from './open-case.command.js';

@CommandHandler(OpenCaseCommand)
export class OpenCaseHandler implements ICommandHandler<OpenCaseCommand, OpenedCaseResponse> {
  constructor(
    private readonly executor: CaseCommandExecutor,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  async execute({ request, context }: OpenCaseCommand): Promise<OpenedCaseResponse> {
    const caseId = this.ids.next();
    const outcome = await this.executor.execute(request.toCommand({ caseId }), context);
    return { caseId: outcome.caseId, version: outcome.version };
  }
}
