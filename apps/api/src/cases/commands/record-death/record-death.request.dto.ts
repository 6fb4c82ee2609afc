import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import type { CaseCommand } from '#domain';
import type { CaseCommandRequest, CommandTarget } from '../shared/case-command-request.js';
import { EventFactsDto, MAX_TEXT } from '../shared/event-facts.request.dto.js';

export class RecordDeathRequestDto extends EventFactsDto implements CaseCommandRequest {
  @ApiPropertyOptional({ maxLength: MAX_TEXT })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT)
  facility?: string;

  toCommand({ caseId }: CommandTarget): CaseCommand {
    return { type: 'RecordDeath', caseId, facts: this.facts(), data: { facility: this.facility ?? null }, personal: this.freeText() };
  }
}
