import { Injectable } from '@nestjs/common';
import type { HealthIndicatorFunction, HealthIndicatorService } from '@nestjs/terminus';

/**
 * The indicators `GET /health` checks. Any module can add one from a provider's constructor, e.g.
 *
 * ```ts
 * indicators.add(() => health.check('eventStore').attempt(() => store.ping()).withTimeout(2000));
 * ```
 *
 * (`health` being terminus' `HealthIndicatorService`, which {@link HealthModule} makes available).
 */
@Injectable()
export class HealthIndicators {
  private readonly indicators: HealthIndicatorFunction[] = [];

  add(...indicators: HealthIndicatorFunction[]): this {
    this.indicators.push(...indicators);
    return this;
  }

  all(): HealthIndicatorFunction[] {
    return [...this.indicators];
  }
}

/** Always up; reports for how long the process has been running. */
export function uptimeIndicator(health: HealthIndicatorService): HealthIndicatorFunction {
  return () => health.check('uptime').up({ seconds: Math.floor(process.uptime()) });
}
