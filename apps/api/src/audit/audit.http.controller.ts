import { Controller, Get, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { GetAccessLogQuery } from './get-access-log/get-access-log.query.js';
import { GetAccessLogRequestDto } from './get-access-log/get-access-log.request.dto.js';
import { GetAuditLogQuery } from './get-audit-log/get-audit-log.query.js';
import { GetAuditLogRequestDto } from './get-audit-log/get-audit-log.request.dto.js';
import { ExportBundleQuery } from './export-bundle/export-bundle.query.js';
import { ExportBundleRequestDto } from './export-bundle/export-bundle.request.dto.js';
import { RecordsPersonalDataAccess } from './personal-data-access.js';
import { VerifyChainQuery } from './verify-chain/verify-chain.query.js';
import { VerifyChainRequestDto } from './verify-chain/verify-chain.request.dto.js';
import { Roles } from '../auth/roles.decorator.js';

/** For auditors: who recorded what, who read what, and whether the log is the one that was written. */
@ApiTags('audit')
@Roles('admin', 'auditor')
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

  @Get('verify')
  @ApiOperation({ summary: 'Walk the hash chain: events checked, head hash, first broken link with its position' })
  verify(@QueryParams() q: VerifyChainRequestDto) {
    return this.queryBus.execute(new VerifyChainQuery(q));
  }

  @Get('export')
  @RecordsPersonalDataAccess()
  @ApiOperation({ summary: 'A self-contained bundle (events, hashes, chain head, store identity) that verifies offline' })
  export(@QueryParams() q: ExportBundleRequestDto) {
    return this.queryBus.execute(new ExportBundleQuery(q));
  }
}
