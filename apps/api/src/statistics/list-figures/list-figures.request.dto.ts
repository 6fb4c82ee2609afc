import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { FIGURE_METRICS, type FigureMetric } from '#domain';

export class ListFiguresRequestDto {
  @ApiPropertyOptional({ enum: FIGURE_METRICS })
  @IsOptional()
  @IsIn(FIGURE_METRICS)
  metric?: FigureMetric;

  @ApiPropertyOptional({ description: "A source's name or kind (e.g. government)" })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  source?: string;

  @ApiPropertyOptional({ description: 'Only figures recorded by this instant' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'knownAt must be an ISO 8601 date-time' })
  knownAt?: string;
}
