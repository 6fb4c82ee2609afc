import { Module } from '@nestjs/common';
import { ConfigModule } from './config/config.module.js';
import { CasesModule } from './cases/cases.module.js';
import { HealthModule } from './health/health.module.js';

@Module({
  imports: [
    ConfigModule,
    HealthModule,
    CasesModule,
  ],
})
export class AppModule {}
