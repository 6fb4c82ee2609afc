import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { CasesModule } from '../cases/cases.module.js';
import { AuditHttpController } from './audit.http.controller.js';
import { GetAccessLogHandler } from './get-access-log/get-access-log.handler.js';
import { GetAuditLogHandler } from './get-audit-log/get-audit-log.handler.js';
import { PersonalDataAccessInterceptor } from './personal-data-access.js';
import { ExportBundleHandler } from './export-bundle/export-bundle.handler.js';
import { VerifyChainHandler } from './verify-chain/verify-chain.handler.js';

@Module({
  imports: [CqrsModule, CasesModule],
  controllers: [AuditHttpController],
  providers: [{ provide: APP_INTERCEPTOR, useClass: PersonalDataAccessInterceptor }, GetAuditLogHandler, GetAccessLogHandler, VerifyChainHandler, ExportBundleHandler],
})
export class AuditModule {}
