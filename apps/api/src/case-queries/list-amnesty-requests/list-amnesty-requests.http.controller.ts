import { Controller, Get, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ListAmnestyRequestsRequestDto } from './list-amnesty-requests.request.dto.js';
import { ListAmnestyRequestsQuery, type AmnestyRequestsResponse } from './list-amnesty-requests.query.js';
import { RecordsPersonalDataAccess } from '../../audit/personal-data-access.js';
import { Roles } from '../../auth/roles.decorator.js';

@ApiTags('case lists')
@RecordsPersonalDataAccess()
@Roles('admin', 'caseworker', 'auditor')
@Controller('amnesty-requests')
export class ListAmnestyRequestsHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'Amnesty requests as they stood on asOf, with their due day (filing or appeal + 15 days) and days overdue, by due day' })
  @ApiOkResponse({ description: '{asOf, knownAt, verification, state, items}' })
  list(@QueryParams() { state, ...time }: ListAmnestyRequestsRequestDto): Promise<AmnestyRequestsResponse> {
    return this.queryBus.execute(new ListAmnestyRequestsQuery(state, time));
  }
}
