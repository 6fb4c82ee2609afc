import { Body, Controller, Get, HttpCode, Post, Query as QueryParams } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CommandContext as Context } from '#application';
import { Roles } from '../auth/roles.decorator.js';
import { CommandContext } from '../http/command-context.js';
import { GetAmnestyPipelineQuery } from './get-amnesty-pipeline/get-amnesty-pipeline.query.js';
import { GetAmnestyPipelineRequestDto } from './get-amnesty-pipeline/get-amnesty-pipeline.request.dto.js';
import { GetDiffQuery } from './get-diff/get-diff.query.js';
import { GetDiffRequestDto } from './get-diff/get-diff.request.dto.js';
import { GetFlowsQuery } from './get-flows/get-flows.query.js';
import { GetFlowsRequestDto } from './get-flows/get-flows.request.dto.js';
import { GetSeriesQuery } from './get-series/get-series.query.js';
import { GetSeriesRequestDto } from './get-series/get-series.request.dto.js';
import { GetStatsQuery } from './get-stats/get-stats.query.js';
import { GetStatsRequestDto } from './get-stats/get-stats.request.dto.js';
import { ListFiguresQuery } from './list-figures/list-figures.query.js';
import { ListFiguresRequestDto } from './list-figures/list-figures.request.dto.js';
import { PublishFigureCommand } from './publish-figure/publish-figure.command.js';
import { PublishFigureRequestDto } from './publish-figure/publish-figure.request.dto.js';
import { ReconcileFiguresQuery } from './reconcile-figures/reconcile-figures.query.js';
import { ReconcileFiguresRequestDto } from './reconcile-figures/reconcile-figures.request.dto.js';

/** Counts for any date as known at any time, and the figures sources published. One bus call per route. */
@ApiTags('statistics')
@Controller()
export class StatisticsHttpController {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly commandBus: CommandBus,
  ) {}

  @Get('stats')
  @Roles('admin', 'caseworker', 'auditor', 'viewer')
  @ApiOperation({ summary: 'People by status on a day, as known at an instant, with the breakdowns balances publish' })
  stats(@QueryParams() q: GetStatsRequestDto) {
    return this.queryBus.execute(new GetStatsQuery(q));
  }

  @Get('stats/amnesty')
  @Roles('admin', 'caseworker', 'auditor', 'viewer')
  @ApiOperation({ summary: 'The amnesty pipeline on a day: requests filed, pending, overdue past the 15-day limit, granted, denied (counts only)' })
  amnesty(@QueryParams() q: GetAmnestyPipelineRequestDto) {
    return this.queryBus.execute(new GetAmnestyPipelineQuery(q));
  }

  @Get('stats/diff')
  // Lists the events that changed the counts, with their case ids: not for viewers.
  @Roles('admin', 'caseworker', 'auditor')
  @ApiOperation({ summary: 'The events that changed the counts for a day between two publications (log positions)' })
  diff(@QueryParams() q: GetDiffRequestDto) {
    return this.queryBus.execute(new GetDiffQuery(q));
  }

  @Get('stats/flows')
  @Roles('admin', 'caseworker', 'auditor', 'viewer')
  @ApiOperation({ summary: 'Detentions, releases (by legal basis), re-arrests, … between two days' })
  flows(@QueryParams() q: GetFlowsRequestDto) {
    return this.queryBus.execute(new GetFlowsQuery(q));
  }

  @Get('stats/series')
  @Roles('admin', 'caseworker', 'auditor', 'viewer')
  @ApiOperation({ summary: 'Stock counts and flows as a time series' })
  series(@QueryParams() q: GetSeriesRequestDto) {
    return this.queryBus.execute(new GetSeriesQuery(q));
  }

  @Get('stats/reconciliation')
  @Roles('admin', 'caseworker', 'auditor', 'viewer')
  @ApiOperation({ summary: "Each source's published figure beside the named, confirmed cases for the same window" })
  reconciliation(@QueryParams() q: ReconcileFiguresRequestDto) {
    return this.queryBus.execute(new ReconcileFiguresQuery(q));
  }

  @Post('figures')
  @Roles('admin', 'caseworker')
  @HttpCode(201)
  @ApiOperation({ summary: 'Record a figure a source published without names' })
  publish(@Body() body: PublishFigureRequestDto, @CommandContext() ctx: Context) {
    return this.commandBus.execute(new PublishFigureCommand(body, ctx));
  }

  @Get('figures')
  @Roles('admin', 'caseworker', 'auditor', 'viewer')
  @ApiOperation({ summary: 'Published figures' })
  figures(@QueryParams() q: ListFiguresRequestDto) {
    return this.queryBus.execute(new ListFiguresQuery(q));
  }
}
