import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Min } from 'class-validator';
import { IsDay, VERIFICATION_FILTERS } from '../../projections/query-params.js';

export class GetDiffRequestDto {
  @ApiProperty({ description: 'Position of the earlier publication' })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  fromPosition!: number;

  @ApiProperty({ description: 'Position of the later publication' })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  toPosition!: number;

  @ApiPropertyOptional({ description: 'The day whose counts are compared (default today)' })
  @IsOptional()
  @IsDay()
  asOf?: string;

  @ApiPropertyOptional({ enum: VERIFICATION_FILTERS, default: 'confirmed' })
  @IsOptional()
  @IsIn(VERIFICATION_FILTERS)
  verification?: 'confirmed' | 'all';
}
