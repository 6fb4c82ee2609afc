import { Controller, Get, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { GetAmnestyEligibilityRequestDto } from './get-amnesty-eligibility.request.dto.js';
import { GetAmnestyEligibilityQuery, type AmnestyEligibilityResponse } from './get-amnesty-eligibility.query.js';
import { RecordsPersonalDataAccess } from '../../audit/personal-data-access.js';
import { Roles } from '../../auth/roles.decorator.js';

@ApiTags('case lists')
@RecordsPersonalDataAccess()
@Roles('admin', 'caseworker', 'auditor')
@Controller('amnesty-eligibility')
export class GetAmnestyEligibilityHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({
    summary: 'People deprived of liberty on asOf with no amnesty request filed by then; those with no excluded offence first, longest held first',
  })
  @ApiOkResponse({ description: '{asOf, knownAt, verification, items}' })
  get(@QueryParams() q: GetAmnestyEligibilityRequestDto): Promise<AmnestyEligibilityResponse> {
    return this.queryBus.execute(new GetAmnestyEligibilityQuery(q));
  }
}
