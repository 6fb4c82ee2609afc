import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiConflictResponse, ApiCreatedResponse, ApiHeader, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CommandContext as Context } from '#application';
import { Roles } from '../auth/roles.decorator.js';
import { CommandContext } from '../http/command-context.js';
import { CaseIdPipe } from '../cases/uuid-param.pipe.js';
import { ErasePersonalDataCommand, type ErasedResponse } from './erase-personal-data.command.js';
import { ErasePersonalDataRequestDto } from './erase-personal-data.request.dto.js';

@ApiTags('cases')
@ApiHeader({ name: 'If-Match', required: false, description: 'The case version the client decided on, e.g. "3"; 412 when stale' })
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Makes a retry safe: the same key answers the first result' })
@Controller('cases/:id/erasure')
export class ErasePersonalDataHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  /** Only an administrator may erase a person's personal data. */
  @Roles('admin')
  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: "Erase the person's personal data: destroy their data key and record PersonalDataErased",
    description:
      'Name, birth year, notes and lawyer names of the case read as erased everywhere from then on (API, exports, bundles); ' +
      'statuses, dates and counts are unchanged and the hash chain still verifies. Cannot be undone.',
  })
  @ApiCreatedResponse({ description: '{caseId, eventId, version, position}' })
  @ApiNotFoundResponse({ description: 'CASE_NOT_FOUND' })
  @ApiConflictResponse({ description: 'PERSONAL_DATA_ERASED: erased already' })
  erase(@Param('id', CaseIdPipe) id: string, @Body() body: ErasePersonalDataRequestDto, @CommandContext() ctx: Context): Promise<ErasedResponse> {
    return this.commandBus.execute(new ErasePersonalDataCommand(id, body.reason, ctx));
  }
}
