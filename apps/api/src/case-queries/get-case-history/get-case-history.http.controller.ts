import { Controller, Get, Param, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CaseIdPipe } from '../../cases/uuid-param.pipe.js';
import { GetCaseHistoryRequestDto } from './get-case-history.request.dto.js';
import { GetCaseHistoryQuery, type CaseHistoryResponse } from './get-case-history.query.js';
import { RecordsPersonalDataAccess } from '../../audit/personal-data-access.js';
import { Roles } from '../../auth/roles.decorator.js';

@ApiTags('cases')
@RecordsPersonalDataAccess()
@Roles('admin', 'caseworker', 'auditor')
@Controller('cases/:id/history')
export class GetCaseHistoryHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'The events recorded by knownAt, with who recorded them, their corrections, and whether each counted on asOf' })
  @ApiOkResponse({ description: '{caseId, asOf, knownAt, version, events}' })
  history(@Param('id', CaseIdPipe) id: string, @QueryParams() q: GetCaseHistoryRequestDto): Promise<CaseHistoryResponse> {
    return this.queryBus.execute(new GetCaseHistoryQuery(id, q.asOf, q.knownAt));
  }
}
