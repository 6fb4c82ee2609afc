import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsArray, IsIn, IsInt, IsISO31661Alpha2, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { GENDERS, type Gender } from '#domain';
import { STATUS_FILTER_VALUES, type StatusFilterValue } from '#projections';
import { ListAsOfQueryDto } from '../shared/list-time.request.dto.js';

export const MAX_PAGE_SIZE = 200;
export const DEFAULT_PAGE_SIZE = 50;
const BOOLEANS = ['true', 'false'] as const;

/** `a,b` (or the parameter repeated) becomes `['a', 'b']`; anything else is left for the validators to name. */
const commaList = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.split(',').map((v) => v.trim()) : Array.isArray(value) ? value.flatMap((v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()) : [v])) : value;

export class ListCasesRequestDto extends ListAsOfQueryDto {
  @ApiPropertyOptional({
    description: `Comma-separated statuses as of asOf (${STATUS_FILTER_VALUES.join(', ')}); deprived_of_liberty = detained, disappeared, house_arrest`,
    example: 'detained,house_arrest',
    type: String,
  })
  @IsOptional()
  @Transform(commaList)
  @IsArray()
  @IsIn(STATUS_FILTER_VALUES, { each: true, message: `each value in status must be one of: ${STATUS_FILTER_VALUES.join(', ')}` })
  status?: StatusFilterValue[];

  @ApiPropertyOptional({ description: 'ISO 3166-1 alpha-2; matches any of a dual national’s nationalities', example: 'ES' })
  @IsOptional()
  @IsISO31661Alpha2()
  nationality?: string;

  @ApiPropertyOptional({ description: 'Exact facility where the person is detained as of asOf', example: 'El Helicoide' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  facility?: string;

  @ApiPropertyOptional({ enum: GENDERS })
  @IsOptional()
  @IsIn(GENDERS)
  gender?: Gender;

  @ApiPropertyOptional({ enum: BOOLEANS, description: 'true: military only; false: civilians only' })
  @IsOptional()
  @IsIn(BOOLEANS)
  military?: 'true' | 'false';

  @ApiPropertyOptional({ enum: BOOLEANS })
  @IsOptional()
  @IsIn(BOOLEANS)
  minor?: 'true' | 'false';

  @ApiPropertyOptional({ description: 'Case-insensitive search in the full name or the external reference (wildcards are taken literally)', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ minimum: 1, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  page?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  pageSize?: number;
}
