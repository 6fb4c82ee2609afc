import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CommandContext as Context } from '#application';
import { CommandContext } from '../../../http/command-context.js';
import { OpenCaseCommand, type OpenedCaseResponse } from './open-case.command.js';
import { OpenCaseRequestDto } from './open-case.request.dto.js';
import { Roles } from '../../../auth/roles.decorator.js';

@ApiTags('cases')
@Roles('admin', 'caseworker')
@Controller('cases')
export class OpenCaseHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: "Open a person's case, optionally with the first detention" })
  @ApiCreatedResponse({ description: '{caseId, version}' })
  open(@Body() body: OpenCaseRequestDto, @CommandContext() ctx: Context): Promise<OpenedCaseResponse> {
    return this.commandBus.execute(new OpenCaseCommand(body, ctx));
  }
}
