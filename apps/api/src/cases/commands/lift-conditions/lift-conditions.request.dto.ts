import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { RELEASE_LEGAL_BASES, type CaseCommand, type ReleaseLegalBasis } from '#domain';
import type { CaseCommandRequest, CommandTarget } from '../shared/case-command-request.js';
import { EventFactsDto } from '../shared/event-facts.request.dto.js';

/** Full liberty for someone released under presentation restrictions. */
export class LiftConditionsRequestDto extends EventFactsDto implements CaseCommandRequest {
  @ApiPropertyOptional({ enum: RELEASE_LEGAL_BASES })
  @IsOptional()
  @IsIn(RELEASE_LEGAL_BASES)
  legalBasis?: ReleaseLegalBasis;

  toCommand({ caseId }: CommandTarget): CaseCommand {
    return { type: 'LiftConditions', caseId, facts: this.facts(), data: { legalBasis: this.legalBasis ?? null }, personal: this.freeText() };
  }
}
