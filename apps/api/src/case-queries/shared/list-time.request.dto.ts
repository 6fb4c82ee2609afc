import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional } from 'class-validator';
import { IsDay, VERIFICATION_FILTERS } from '../../projections/query-params.js';

/**
 * `knownAt` and `verification` of the caseworker and lawyer lists. Unlike the statistics, a list
 * counts reported events by default (`verification=all`): a caseworker must see what was reported.
 */
export class ListKnownAtQueryDto {
  @ApiPropertyOptional({ description: 'Transaction time: only what was recorded by this instant counts (ISO 8601); default now' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'knownAt must be an ISO 8601 date-time' })
  knownAt?: string;

  @ApiPropertyOptional({ enum: VERIFICATION_FILTERS, default: 'all', description: 'confirmed: count only confirmed events' })
  @IsOptional()
  @IsIn(VERIFICATION_FILTERS)
  verification?: 'confirmed' | 'all';
}

/** `asOf` (a day, default today in the configured zone) with `knownAt` and `verification`. */
export class ListAsOfQueryDto extends ListKnownAtQueryDto {
  @ApiPropertyOptional({ description: 'Valid time: the situation at the end of this day; default today', example: '2026-03-01' })
  @IsOptional()
  @IsDay()
  asOf?: string;
}

/** The verification scope every list defaults to. */
export const LIST_DEFAULT_SCOPE = 'all' as const;
