import type { ServerResponse } from 'node:http';
import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, type HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { Public } from '../auth/roles.decorator.js';
import { HealthIndicators } from './health-indicators.js';

/** `GET /health` (outside the `/api` prefix): 200 when every indicator is up, 503 otherwise, terminus' JSON body either way. */
@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicators,
  ) {}

  @Get()
  @HealthCheck()
  async check(@Res() response: ServerResponse): Promise<void> {
    let status = 200;
    let body: HealthCheckResult | string | object;
    try {
      body = await this.health.check(this.indicators.all());
    } catch (error) {
      // Terminus reports a failed check as a 503 exception carrying the result; it is answered as
      // such rather than as a problem document, so monitors see which indicator is down.
      if (!(error instanceof ServiceUnavailableException)) throw error;
      status = 503;
      body = error.getResponse();
    }
    const json = JSON.stringify(body);
    response.statusCode = status;
    response.setHeader('Content-Type', 'application/json; charset=utf-8');
    response.setHeader('Content-Length', Buffer.byteLength(json));
    response.end(json);
  }
}
