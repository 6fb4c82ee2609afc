import { Controller, Get, Param, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CaseIdPipe } from '../../uuid-param.pipe.js';
import { GetCaseEventsQuery, type CaseEventsResponse } from '../get-case-events/get-case-events.query.js';
import type { CaseResponse } from './case.response.js';
import { AsOfKnownAtQueryDto } from './get-case.request.dto.js';
import { GetCaseQuery } from './get-case.query.js';
import { RecordsPersonalDataAccess } from '../../../audit/personal-data-access.js';
import { Roles } from '../../../auth/roles.decorator.js';

@ApiTags('cases')
@RecordsPersonalDataAccess()
@Roles('admin', 'caseworker', 'auditor')
@Controller('cases/:id')
export class GetCaseHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'The case as it stood (default: today, as known now); ETag is the stream version' })
  @ApiOkResponse({ description: 'status, custody periods with days, open amnesty requests, conditions' })
  get(@Param('id', CaseIdPipe) id: string, @QueryParams() q: AsOfKnownAtQueryDto): Promise<CaseResponse> {
    return this.queryBus.execute(new GetCaseQuery(id, q.asOf, q.knownAt, q.verification));
  }

  @Get('events')
  @ApiOperation({ summary: 'The stream as recorded, with all metadata' })
  events(@Param('id', CaseIdPipe) id: string): Promise<CaseEventsResponse> {
    return this.queryBus.execute(new GetCaseEventsQuery(id));
  }
}
