import { Global, Inject, Logger, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { DataSource } from 'typeorm';
import { EVENT_STORE, type EventStore } from '#event-store';
import { createProjector, openReadModels } from '#infrastructure';
import { Projector } from '#projections';
import { CasesModule } from '../cases/cases.module.js';
import { CLOCK } from '../cases/cases.tokens.js';
import type { Clock } from '#domain';
import { Environment, ProjectionsMode } from '#config';
import { HealthIndicators } from '../health/health-indicators.js';
import { READ_MODELS } from './projections.tokens.js';
import { ReadTime } from './read-time.js';
import { LogPosition } from './log-position.js';

/**
 * Runs the projector in-process (the embedded default; with PROJECTIONS=external a projector
 * process does it), reports the read models' lag in `/health` either way, and stops cleanly.
 */
class ProjectorLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Projector');

  constructor(
    private readonly projector: Projector,
    @Inject(READ_MODELS) private readonly readModels: DataSource,
    private readonly env: Environment,
    indicators: HealthIndicators,
    health: HealthIndicatorService,
  ) {
    indicators.add(async () => {
      const check = health.check('projections');
      try {
        const lag = await projector.lag();
        const details = { checkpoint: lag.checkpoint, head: lag.head, lag: lag.behind, mode: env.PROJECTIONS };
        return projector.error ? check.down({ ...details, message: 'the projector is retrying a failed batch' }) : check.up(details);
      } catch {
        return check.down({ message: 'the read models cannot be reached' });
      }
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.env.PROJECTIONS === ProjectionsMode.External) return;
    const caughtUp = await this.projector.catchUp();
    if (caughtUp > 0) this.logger.log(`caught up ${caughtUp} events`);
    this.projector.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.projector.stop();
    if (this.readModels.isInitialized) await this.readModels.destroy();
  }
}

@Global()
@Module({
  imports: [CasesModule],
  providers: [
    { provide: READ_MODELS, inject: [Environment], useFactory: (env: Environment) => openReadModels(env) },
    {
      provide: Projector,
      inject: [EVENT_STORE, READ_MODELS, Environment, CLOCK],
      useFactory: (store: EventStore, readModels: DataSource, env: Environment, clock: Clock) =>
        createProjector(env, store, readModels, { now: () => clock.now() }),
    },
    ProjectorLifecycle,
    ReadTime,
    LogPosition,
  ],
  exports: [READ_MODELS, Projector, ReadTime, LogPosition],
})
export class ProjectionsModule {}
