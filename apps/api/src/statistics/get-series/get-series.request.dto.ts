import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { IsDay, KnownAtQueryDto } from '../../projections/query-params.js';

export const SERIES_STEPS = ['day', 'week', 'month'] as const;
export type SeriesStep = (typeof SERIES_STEPS)[number];

export class GetSeriesRequestDto extends KnownAtQueryDto {
  @ApiProperty({ example: '2026-01-01' })
  @IsDay()
  from!: string;

  @ApiProperty({ example: '2026-02-28' })
  @IsDay()
  to!: string;

  @ApiProperty({ enum: SERIES_STEPS })
  @IsIn(SERIES_STEPS)
  step!: SeriesStep;
}
