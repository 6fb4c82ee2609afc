import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsDay } from '../../projections/query-params.js';
import { ListKnownAtQueryDto } from '../shared/list-time.request.dto.js';

export class ListPresentationsDueRequestDto extends ListKnownAtQueryDto {
  @ApiPropertyOptional({ description: 'The day of the court presentations (YYYY-MM-DD); default today', example: '2026-03-01' })
  @IsOptional()
  @IsDay()
  on?: string;
}
