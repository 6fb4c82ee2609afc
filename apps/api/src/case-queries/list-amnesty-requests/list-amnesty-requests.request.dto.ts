import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { AMNESTY_REQUEST_STATES, type AmnestyRequestState } from '#projections';
import { ListAsOfQueryDto } from '../shared/list-time.request.dto.js';

export class ListAmnestyRequestsRequestDto extends ListAsOfQueryDto {
  @ApiPropertyOptional({
    enum: AMNESTY_REQUEST_STATES,
    description: 'pending: awaiting a decision (appealed included); overdue: awaiting one past its due day; absent: every request',
  })
  @IsOptional()
  @IsIn(AMNESTY_REQUEST_STATES)
  state?: AmnestyRequestState;
}
