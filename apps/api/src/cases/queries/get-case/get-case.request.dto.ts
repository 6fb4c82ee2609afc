import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, Matches } from 'class-validator';

/** The two times of every read: the world as of a day, as the record knew it at an instant. */
export class AsOfKnownAtQueryDto {
  @ApiPropertyOptional({ description: 'Valid time: the end of this day (YYYY-MM-DD, Caracas time); default today', example: '2026-01-26' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'asOf must be a date as YYYY-MM-DD' })
  asOf?: string;

  @ApiPropertyOptional({ description: 'Transaction time: only what was recorded by this instant counts (ISO 8601); default now' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'knownAt must be an ISO 8601 date-time' })
  knownAt?: string;

  @ApiPropertyOptional({ enum: ['all', 'confirmed'], default: 'all', description: 'confirmed: count only confirmed events' })
  @IsOptional()
  @IsIn(['all', 'confirmed'])
  verification?: 'all' | 'confirmed';
}
