import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { FigureRecorder } from '#application';
import type { Clock, IdGenerator } from '#domain';
import { EVENT_STORE, type EventStore } from '#event-store';
import { CasesModule } from '../cases/cases.module.js';
import { CLOCK, ID_GENERATOR } from '../cases/cases.tokens.js';
import { Environment } from '#config';
import { GetAmnestyPipelineHandler } from './get-amnesty-pipeline/get-amnesty-pipeline.handler.js';
import { GetDiffHandler } from './get-diff/get-diff.handler.js';
import { GetFlowsHandler } from './get-flows/get-flows.handler.js';
import { GetSeriesHandler } from './get-series/get-series.handler.js';
import { GetStatsHandler } from './get-stats/get-stats.handler.js';
import { ListFiguresHandler } from './list-figures/list-figures.handler.js';
import { PublishFigureHandler } from './publish-figure/publish-figure.handler.js';
import { ReconcileFiguresHandler } from './reconcile-figures/reconcile-figures.handler.js';
import { StatisticsHttpController } from './statistics.http.controller.js';

@Module({
  imports: [CqrsModule, CasesModule],
  controllers: [StatisticsHttpController],
  providers: [
    {
      provide: FigureRecorder,
      inject: [EVENT_STORE, CLOCK, ID_GENERATOR, Environment],
      useFactory: (store: EventStore, clock: Clock, ids: IdGenerator, env: Environment) => new FigureRecorder(store, clock, ids, env.TIME_ZONE),
    },
    GetStatsHandler,
    GetAmnestyPipelineHandler,
    GetDiffHandler,
    GetFlowsHandler,
    GetSeriesHandler,
    ReconcileFiguresHandler,
    ListFiguresHandler,
    PublishFigureHandler,
  ],
})
export class StatisticsModule {}
