import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import type { DataSource } from 'typeorm';
import { AccessTokens } from '#application';
import type { Clock, IdGenerator } from '#domain';
import { EVENT_STORE, type EventStore } from '#event-store';
import { TypeOrmAccessTokenStore } from '#projections';
import { CasesModule } from '../cases/cases.module.js';
import { CLOCK, ID_GENERATOR } from '../cases/cases.tokens.js';
import { Environment } from '#config';
import { READ_MODELS } from '../projections/projections.tokens.js';
import { AccessGuard } from './access.guard.js';
import { AccessTokensHttpController } from './access-tokens.http.controller.js';
import { AdminBootstrap } from './admin-bootstrap.js';
import { SessionHttpController } from './session/session.http.controller.js';
import { FailedAuthentications } from './failed-authentications.js';
import { TokenThrottlerGuard } from './token-throttler.guard.js';

/**
 * Identity and roles: bearer tokens (kept in the read-model database, never rebuilt), the global
 * guard that authenticates, rate-limits and checks `@Roles` on every route, and token administration.
 */
@Module({
  imports: [
    CasesModule,
    ThrottlerModule.forRootAsync({
      inject: [Environment],
      useFactory: (env: Environment) => ({ throttlers: [{ name: 'default', ttl: 60_000, limit: env.RATE_LIMIT_PER_MINUTE }] }),
    }),
  ],
  controllers: [AccessTokensHttpController, SessionHttpController],
  providers: [
    {
      provide: AccessTokens,
      inject: [READ_MODELS, EVENT_STORE, CLOCK, ID_GENERATOR],
      useFactory: (readModels: DataSource, store: EventStore, clock: Clock, ids: IdGenerator) =>
        new AccessTokens(new TypeOrmAccessTokenStore(readModels), store, clock, ids),
    },
    { provide: FailedAuthentications, inject: [Environment], useFactory: (env: Environment) => new FailedAuthentications(env.AUTH_FAILURES_PER_MINUTE) },
    TokenThrottlerGuard,
    { provide: APP_GUARD, useClass: AccessGuard },
    AdminBootstrap,
  ],
  exports: [AccessTokens],
})
export class AuthModule {}
