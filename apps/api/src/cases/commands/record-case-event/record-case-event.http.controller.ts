import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CommandContext as Context } from '#application';
import { CommandContext } from '../../../http/command-context.js';
import { CaseIdPipe, RequestIdPipe } from '../../uuid-param.pipe.js';
import { AppealAmnestyRequestDto } from '../appeal-amnesty/appeal-amnesty.request.dto.js';
import { ConfirmEventRequestDto } from '../confirm-event/confirm-event.request.dto.js';
import { DecideAmnestyRequestDto } from '../decide-amnesty/decide-amnesty.request.dto.js';
import { LiftConditionsRequestDto } from '../lift-conditions/lift-conditions.request.dto.js';
import { RecordChargesRequestDto } from '../record-charges/record-charges.request.dto.js';
import { RecordDeathRequestDto } from '../record-death/record-death.request.dto.js';
import { RecordDetentionRequestDto } from '../record-detention/record-detention.request.dto.js';
import { RecordDisappearanceRequestDto } from '../record-disappearance/record-disappearance.request.dto.js';
import { RecordHouseArrestRequestDto } from '../record-house-arrest/record-house-arrest.request.dto.js';
import { RecordHungerStrikeRequestDto } from '../record-hunger-strike/record-hunger-strike.request.dto.js';
import { RecordPresentationRequestDto } from '../record-presentation/record-presentation.request.dto.js';
import { RecordReArrestRequestDto } from '../record-re-arrest/record-re-arrest.request.dto.js';
import { RecordReleaseRequestDto } from '../record-release/record-release.request.dto.js';
import { RecordTransferRequestDto } from '../record-transfer/record-transfer.request.dto.js';
import { RecordWhereaboutsRequestDto } from '../record-whereabouts/record-whereabouts.request.dto.js';
import { RequestAmnestyRequestDto } from '../request-amnesty/request-amnesty.request.dto.js';
import { RetractEventRequestDto } from '../retract-event/retract-event.request.dto.js';
import { RecordCaseEventCommand, type RecordedEventResponse } from './record-case-event.command.js';
import { Roles } from '../../../auth/roles.decorator.js';

/** Every route records one event on a case: validate, then one command on the bus. */
@ApiTags('case events')
@ApiHeader({ name: 'If-Match', required: false, description: 'The case version the client decided on, e.g. "3"; 412 when stale' })
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Makes a retry safe: the same key answers the first result' })
@ApiCreatedResponse({ description: '{caseId, eventId, version, position}' })
@Roles('admin', 'caseworker')
@Controller('cases/:id')
export class RecordCaseEventHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  private record(caseId: string, body: RecordCaseEventCommand['request'], ctx: Context, requestId?: string): Promise<RecordedEventResponse> {
    return this.commandBus.execute(new RecordCaseEventCommand({ caseId, requestId }, body, ctx));
  }

  @Post('detentions') @HttpCode(201) @ApiOperation({ summary: 'First detention' })
  detention(@Param('id', CaseIdPipe) id: string, @Body() body: RecordDetentionRequestDto, @CommandContext() ctx: Context) {
    return this.record(id, body, ctx);
  }

  @Post('releases') @HttpCode(201) @ApiOperation({ summary: 'Release, full or with conditions' })
  release(@Param('id', CaseIdPipe) id: string, @Body() body: RecordReleaseRequestDto, @CommandContext() ctx: Context) {
    return this.record(id, body, ctx);
  }

  @Post('re-arrests') @HttpCode(201) @ApiOperation({ summary: 'Taken back after a release' })
  reArrest(@Param('id', CaseIdPipe) id: string, @Body() body: RecordReArrestRequestDto, @CommandContext() ctx: Context) {
    return this.record(id, body, ctx);
  }

  @Post('house-arrests') @HttpCode(201) @ApiOperation({ summary: 'House arrest, from prison, a release or a disappearance' })
  houseArrest(@Param('id', CaseIdPipe) id: string, @Body() body: RecordHouseArrestRequestDto, @CommandContext() ctx: Context) {
    return this.record(id, body, ctx);
  }

  @Post('disappearances') @HttpCode(201) @ApiOperation({ summary: 'Whereabouts unknown (forced disappearance)' })
  disappearance(@Param('id', CaseIdPipe) id: string, @Body() body: RecordDisappearanceRequestDto, @CommandContext() ctx: Context) {
    return this.record(id, body, ctx);
  }

  @Post('whereabouts') @HttpCode(201) @ApiOperation({ summary: 'Proof of life: where the person is held' })
  whereabouts(@Param('id', CaseIdPipe) id: string, @Body() body: RecordWhereaboutsRequestDto, @CommandContext() ctx: Context) {
    return this.record(id, body, ctx);
  }

  @Post('transfers') @HttpCode(201) @ApiOperation({ summary: 'Moved to another facility' })
  transfer(@Param('id', CaseIdPipe) id: string, @Body() body: RecordTransferRequestDto, @CommandContext() ctx: Context) {
    return this.record(id, body, ctx);
  }

  @Post('charges') @HttpCode(201) @ApiOperation({ summary: 'Charges brought' })
  charges(@Param('id', CaseIdPipe) id: string, @Body() body: RecordChargesRequestDto, @CommandContext() ctx: Context) {
    return this.record(id, body, ctx);
  }

  @Post('presentations') @HttpCode(201) @ApiOperation({ summary: 'Court appearance attended or missed' })
  presentation(@Param('id', CaseIdPipe) id: string, @Body() body: RecordPresentationRequestDto, @CommandContext() ctx: Context) {
    return this.record(id, body, ctx);
  }

  @Post('conditions-lifted') @HttpCode(201) @ApiOperation({ summary: 'Full liberty for someone under conditions' })
  conditionsLifted(@Param('id', CaseIdPipe) id: string, @Body() body: LiftConditionsRequestDto, @CommandContext() ctx: Context) {
    return this.record(id, body, ctx);
  }

  @Post('hunger-strikes') @HttpCode(201) @ApiOperation({ summary: 'Hunger strike started or ended' })
  hungerStrike(@Param('id', CaseIdPipe) id: string, @Body() body: RecordHungerStrikeRequestDto, @CommandContext() ctx: Context) {
    return this.record(id, body, ctx);
  }

  @Post('deaths') @HttpCode(201) @ApiOperation({ summary: 'Died in custody' })
  death(@Param('id', CaseIdPipe) id: string, @Body() body: RecordDeathRequestDto, @CommandContext() ctx: Context) {
    return this.record(id, body, ctx);
  }

  @Post('amnesty-requests') @HttpCode(201) @ApiOperation({ summary: 'Amnesty request filed (15 days to decide)' })
  requestAmnesty(@Param('id', CaseIdPipe) id: string, @Body() body: RequestAmnestyRequestDto, @CommandContext() ctx: Context) {
    return this.record(id, body, ctx);
  }

  @Post('amnesty-requests/:requestId/decision') @HttpCode(201) @ApiOperation({ summary: 'Amnesty granted or denied' })
  decideAmnesty(
    @Param('id', CaseIdPipe) id: string,
    @Param('requestId', RequestIdPipe) requestId: string,
    @Body() body: DecideAmnestyRequestDto,
    @CommandContext() ctx: Context,
  ) {
    return this.record(id, body, ctx, requestId);
  }

  @Post('amnesty-requests/:requestId/appeals') @HttpCode(201) @ApiOperation({ summary: 'Amnesty decision appealed' })
  appealAmnesty(
    @Param('id', CaseIdPipe) id: string,
    @Param('requestId', RequestIdPipe) requestId: string,
    @Body() body: AppealAmnestyRequestDto,
    @CommandContext() ctx: Context,
  ) {
    return this.record(id, body, ctx, requestId);
  }

  @Post('retractions') @HttpCode(201) @ApiOperation({ summary: 'Withdraw an event, with a reason' })
  retraction(@Param('id', CaseIdPipe) id: string, @Body() body: RetractEventRequestDto, @CommandContext() ctx: Context) {
    return this.record(id, body, ctx);
  }

  @Post('confirmations') @HttpCode(201) @ApiOperation({ summary: 'Confirm a reported event by a named source' })
  confirmation(@Param('id', CaseIdPipe) id: string, @Body() body: ConfirmEventRequestDto, @CommandContext() ctx: Context) {
    return this.record(id, body, ctx);
  }
}
