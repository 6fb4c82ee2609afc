import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { PRESENTATION_OUTCOMES, type CaseCommand, type PresentationOutcome } from '#domain';
import type { CaseCommandRequest, CommandTarget } from '../shared/case-command-request.js';
import { EventFactsDto, MAX_TEXT } from '../shared/event-facts.request.dto.js';

/** A court appearance owed under a conditional release: attended or missed. */
export class RecordPresentationRequestDto extends EventFactsDto implements CaseCommandRequest {
  @ApiProperty({ enum: PRESENTATION_OUTCOMES })
  @IsIn(PRESENTATION_OUTCOMES)
  outcome!: PresentationOutcome;

  @ApiPropertyOptional({ maxLength: MAX_TEXT })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT)
  court?: string;

  toCommand({ caseId }: CommandTarget): CaseCommand {
    return { type: 'RecordPresentation', caseId, facts: this.facts(), data: { outcome: this.outcome, court: this.court ?? null }, personal: this.freeText() };
  }
}
