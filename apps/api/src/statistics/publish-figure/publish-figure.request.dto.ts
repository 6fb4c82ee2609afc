import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { FIGURE_METRICS, type FigureMetric } from '#domain';
import { SourceDto } from '../../cases/commands/shared/event-facts.request.dto.js';
import { IsDay } from '../../projections/query-params.js';

/** A figure a source published without names, recorded as published. */
export class PublishFigureRequestDto {
  @ApiProperty({ type: SourceDto, example: { kind: 'government', name: 'Delcy Rodríguez' } })
  @IsDefined()
  @ValidateNested()
  @Type(() => SourceDto)
  source!: SourceDto;

  @ApiProperty({ enum: FIGURE_METRICS })
  @IsIn(FIGURE_METRICS)
  metric!: FigureMetric;

  @ApiProperty({ example: 626, minimum: 0 })
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  value!: number;

  @ApiPropertyOptional({ description: 'Start of the counted window, e.g. 2026-01-08', example: '2026-01-08' })
  @IsOptional()
  @IsDay()
  since?: string;

  @ApiProperty({ description: 'The day the figure speaks for', example: '2026-01-23' })
  @IsDay()
  asOf!: string;

  @ApiPropertyOptional({ description: 'Where it was published (URL, bulletin)', maxLength: 2000 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reference?: string;
}
