import { Controller, Get, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { GetRevolvingDoorRequestDto } from './get-revolving-door.request.dto.js';
import { GetRevolvingDoorQuery, type RevolvingDoorResponse } from './get-revolving-door.query.js';
import { RecordsPersonalDataAccess } from '../../audit/personal-data-access.js';
import { Roles } from '../../auth/roles.decorator.js';

@ApiTags('case lists')
@RecordsPersonalDataAccess()
@Roles('admin', 'caseworker', 'auditor')
@Controller('revolving-door')
export class GetRevolvingDoorHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({
    summary: 'People taken back from liberty between from and to (re-arrests, and disappearances or house arrests straight after a release), with the days between',
  })
  @ApiOkResponse({ description: '{from, to, knownAt, verification, count, medianDaysBetween, items}' })
  get(@QueryParams() q: GetRevolvingDoorRequestDto): Promise<RevolvingDoorResponse> {
    return this.queryBus.execute(new GetRevolvingDoorQuery(q.from, q.to, q.knownAt, q.verification));
  }
}
