import { Controller, Get, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ListCasesRequestDto } from './list-cases.request.dto.js';
import { ListCasesQuery, type CaseListResponse } from './list-cases.query.js';
import { RecordsPersonalDataAccess } from '../../audit/personal-data-access.js';
import { Roles } from '../../auth/roles.decorator.js';

@ApiTags('case lists')
@RecordsPersonalDataAccess()
@Roles('admin', 'caseworker', 'auditor')
@Controller('cases')
export class ListCasesHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'Cases known at knownAt with their status as of asOf, filtered and paged (ordered by name, then case id)' })
  @ApiOkResponse({ description: '{asOf, knownAt, verification, page, pageSize, total, items}' })
  list(@QueryParams() q: ListCasesRequestDto): Promise<CaseListResponse> {
    return this.queryBus.execute(new ListCasesQuery(q));
  }
}
