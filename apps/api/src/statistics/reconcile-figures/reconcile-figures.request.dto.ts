import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional } from 'class-validator';
import { IsDay } from '../../projections/query-params.js';

/** Only release figures can be set beside case-level counts for now. */
export const RECONCILABLE_METRICS = ['releases'] as const;

export class ReconcileFiguresRequestDto {
  @ApiProperty({ enum: RECONCILABLE_METRICS })
  @IsIn(RECONCILABLE_METRICS)
  metric!: 'releases';

  @ApiProperty({ description: 'Start of the window', example: '2026-01-08' })
  @IsDay()
  since!: string;

  @ApiPropertyOptional({ description: 'End of the window (default today)', example: '2026-01-26' })
  @IsOptional()
  @IsDay()
  asOf?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'knownAt must be an ISO 8601 date-time' })
  knownAt?: string;
}
