import { Global, Module } from '@nestjs/common';
import { HealthIndicatorService, TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller.js';
import { HealthIndicators, uptimeIndicator } from './health-indicators.js';

/**
 * `GET /health`. Global, so that any module can inject {@link HealthIndicators} (and terminus'
 * `HealthIndicatorService`) to add its own indicator.
 */
@Global()
@Module({
  imports: [TerminusModule],
  controllers: [HealthController],
  providers: [HealthIndicators],
  exports: [HealthIndicators, TerminusModule],
})
export class HealthModule {
  constructor(indicators: HealthIndicators, health: HealthIndicatorService) {
    indicators.add(uptimeIndicator(health));
  }
}
