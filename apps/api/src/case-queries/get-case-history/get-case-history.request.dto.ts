import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';
import { IsDay } from '../../projections/query-params.js';

/** The two times of a case's history: which events counted on `asOf`, as the record stood at `knownAt`. */
export class GetCaseHistoryRequestDto {
  @ApiPropertyOptional({ description: 'Valid time: which world events had happened by the end of this day; default today', example: '2026-02-01' })
  @IsOptional()
  @IsDay()
  asOf?: string;

  @ApiPropertyOptional({ description: 'Transaction time: only what was recorded by this instant is listed (ISO 8601); default now' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'knownAt must be an ISO 8601 date-time' })
  knownAt?: string;
}
