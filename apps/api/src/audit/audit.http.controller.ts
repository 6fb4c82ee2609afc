import { Controller, Get, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { GetAccessLogQuery } from './get-access-log/get-access-log.query.js';
import { GetAccessLogRequestDto } from './get-access-log/get-access-log.request.dto.js';
import { GetAuditLogQuery } from './get-audit-log/get-audit-log.query.js';
import { GetAuditLogRequestDto } from './get-audit-log/get-audit-log.request.dto.js';

/** For auditors: who recorded what, who read what, and whether the log is the one that was written. */
@ApiTags('audit')
@Controller('audit')
export class AuditHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('log')
  @ApiOperation({ summary: 'Recorded events with who recorded them, when, and what' })
  log(@QueryParams() q: GetAuditLogRequestDto) {
    return this.queryBus.execute(new GetAuditLogQuery(q));
  }

  @Get('access')
  @ApiOperation({ summary: "Who read which case's personal data, and when" })
  access(@QueryParams() q: GetAccessLogRequestDto) {
    return this.queryBus.execute(new GetAccessLogQuery(q));
  }
}
