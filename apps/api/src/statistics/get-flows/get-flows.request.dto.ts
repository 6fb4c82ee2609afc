import { ApiProperty } from '@nestjs/swagger';
import { IsDay, KnownAtQueryDto } from '../../projections/query-params.js';

export class GetFlowsRequestDto extends KnownAtQueryDto {
  @ApiProperty({ description: 'First day of the window (included)', example: '2026-01-08' })
  @IsDay()
  from!: string;

  @ApiProperty({ description: 'Last day of the window (included)', example: '2026-02-20' })
  @IsDay()
  to!: string;
}
