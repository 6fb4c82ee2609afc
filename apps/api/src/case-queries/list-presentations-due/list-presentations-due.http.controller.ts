import { Controller, Get, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ListPresentationsDueRequestDto } from './list-presentations-due.request.dto.js';
import { ListPresentationsDueQuery, type PresentationsDueResponse } from './list-presentations-due.query.js';
import { RecordsPersonalDataAccess } from '../../audit/personal-data-access.js';
import { Roles } from '../../auth/roles.decorator.js';

@ApiTags('case lists')
@RecordsPersonalDataAccess()
@Roles('admin', 'caseworker', 'auditor')
@Controller('presentations')
export class ListPresentationsDueHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('due')
  @ApiOperation({
    summary:
      'People in conditional release with a reporting obligation: due to present themselves on the day (last attended presentation or release + k·N), and those past their first due day',
  })
  @ApiOkResponse({ description: '{on, knownAt, verification, due, missed}' })
  due(@QueryParams() q: ListPresentationsDueRequestDto): Promise<PresentationsDueResponse> {
    return this.queryBus.execute(new ListPresentationsDueQuery(q.on, q.knownAt, q.verification));
  }
}
