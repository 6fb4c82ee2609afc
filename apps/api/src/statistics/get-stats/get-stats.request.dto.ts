import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsIn, IsInt, IsOptional, Min } from 'class-validator';
import { GROUP_BY, type GroupBy } from '#projections';
import { AsOfQueryDto } from '../../projections/query-params.js';

export class GetStatsRequestDto extends AsOfQueryDto {
  @ApiPropertyOptional({ description: `Comma list among ${GROUP_BY.join(', ')}`, example: 'nationality,gender' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.split(',').filter((v) => v !== '') : value))
  @ArrayMaxSize(3)
  @IsIn(GROUP_BY, { each: true, message: `each value in groupBy must be one of: ${GROUP_BY.join(', ')}` })
  groupBy?: GroupBy[];

  @ApiPropertyOptional({ description: 'Answer as the system did when the log ended at this position (instead of knownAt)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  atPosition?: number;
}
