import { Module } from '@nestjs/common';
import { AuditModule } from './audit/audit.module.js';
import { AuthModule } from './auth/auth.module.js';
import { ConfigModule } from './config/config.module.js';
import { ErasureModule } from './erasure/erasure.module.js';
import { CaseQueriesModule } from './case-queries/case-queries.module.js';
import { CasesModule } from './cases/cases.module.js';
import { HealthModule } from './health/health.module.js';
import { ProjectionsModule } from './projections/projections.module.js';
import { StatisticsModule } from './statistics/statistics.module.js';

@Module({
  imports: [
    ConfigModule,
    HealthModule,
    CasesModule,
    ProjectionsModule,
    StatisticsModule,
    CaseQueriesModule,
    AuditModule,
    ErasureModule,
    AuthModule,
  ],
})
export class AppModule {}
