import { randomUUID } from 'node:crypto';
import { Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { HealthIndicatorService } from '@nestjs/terminus';
import { CaseCommandExecutor, CaseEventCodec, CaseRepository } from '#application';
import { caseDecider, systemClock, type CaseDecider, type Clock, type IdGenerator } from '#domain';
import { EVENT_STORE, type EventStore } from '#event-store';
import { openEventStore } from '#infrastructure';
import { Environment } from '#config';
import { HealthIndicators } from '../health/health-indicators.js';
import { CASE_DECIDER, CLOCK, ID_GENERATOR } from './cases.tokens.js';
import { OpenCaseHandler } from './commands/open-case/open-case.handler.js';
import { OpenCaseHttpController } from './commands/open-case/open-case.http.controller.js';
import { RecordCaseEventHandler } from './commands/record-case-event/record-case-event.handler.js';
import { RecordCaseEventHttpController } from './commands/record-case-event/record-case-event.http.controller.js';
import { GetCaseEventsHandler } from './queries/get-case-events/get-case-events.handler.js';
import { GetCaseHandler } from './queries/get-case/get-case.handler.js';
import { GetCaseHttpController } from './queries/get-case/get-case.http.controller.js';
import { VersionETagInterceptor } from './version-etag.interceptor.js';

/** Reports the store in `GET /health`, and closes it when the application stops, after in-flight requests. */
class EventStoreLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    indicators: HealthIndicators,
    health: HealthIndicatorService,
  ) {
    indicators.add(async () => {
      const check = health.check('eventStore');
      try {
        await store.ping();
        return check.up({ headPosition: await store.headPosition() });
      } catch {
        return check.down({ message: 'the event store cannot be reached' });
      }
    });
  }
  async onApplicationShutdown(signal?: string): Promise<void> {
    await this.store.close();
    new Logger('Shutdown').log(`event store closed${signal ? ` after ${signal}` : ''}`);
  }
}

@Module({
  imports: [CqrsModule.forRoot()],
  controllers: [OpenCaseHttpController, RecordCaseEventHttpController, GetCaseHttpController],
  providers: [
    { provide: CLOCK, useValue: systemClock },
    { provide: ID_GENERATOR, useValue: { next: () => randomUUID() } satisfies IdGenerator },
    {
      provide: EVENT_STORE,
      inject: [Environment, CLOCK],
      useFactory: (env: Environment, clock: Clock): Promise<EventStore> => openEventStore(env, () => clock.now()),
    },
    { provide: CASE_DECIDER, inject: [Environment], useFactory: (env: Environment) => caseDecider({ timeZone: env.TIME_ZONE }) },
    {
      provide: CaseRepository,
      // The codec (personal-data encryption) comes from the global PersonalDataModule (apps/api/src/erasure).
      inject: [EVENT_STORE, CASE_DECIDER, CaseEventCodec],
      useFactory: (store: EventStore, decider: CaseDecider, codec: CaseEventCodec) => new CaseRepository(store, decider, codec),
    },
    {
      provide: CaseCommandExecutor,
      inject: [EVENT_STORE, CLOCK, ID_GENERATOR, CASE_DECIDER, CaseEventCodec],
      useFactory: (store: EventStore, clock: Clock, ids: IdGenerator, decider: CaseDecider, codec: CaseEventCodec) =>
        new CaseCommandExecutor(store, clock, ids, decider, codec),
    },
    EventStoreLifecycle,
    { provide: APP_INTERCEPTOR, useClass: VersionETagInterceptor },
    OpenCaseHandler,
    RecordCaseEventHandler,
    GetCaseHandler,
    GetCaseEventsHandler,
  ],
  exports: [EVENT_STORE, CLOCK, ID_GENERATOR, CaseRepository, CaseCommandExecutor],
})
export class CasesModule {}
