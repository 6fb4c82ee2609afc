import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { AMNESTY_FILERS, type AmnestyFiler, type CaseCommand } from '#domain';
import type { CaseCommandRequest, CommandTarget } from '../shared/case-command-request.js';
import { EventFactsDto } from '../shared/event-facts.request.dto.js';

export class AppealAmnestyRequestDto extends EventFactsDto implements CaseCommandRequest {
  @ApiProperty({ enum: AMNESTY_FILERS })
  @IsIn(AMNESTY_FILERS)
  appealedBy!: AmnestyFiler;

  toCommand({ caseId, requestId }: CommandTarget): CaseCommand {
    return { type: 'AppealAmnesty', caseId, facts: this.facts(), data: { requestId: requestId!, appealedBy: this.appealedBy }, personal: this.freeText() };
  }
}
