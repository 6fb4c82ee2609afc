import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import type { CaseCommand } from '#domain';
import type { CaseCommandRequest, CommandTarget } from '../shared/case-command-request.js';
import { EventFactsDto, MAX_TEXT } from '../shared/event-facts.request.dto.js';

export class RecordHouseArrestRequestDto extends EventFactsDto implements CaseCommandRequest {
  @ApiPropertyOptional({ description: 'City or region (not a street address)', example: 'Maracaibo', maxLength: MAX_TEXT })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT)
  location?: string;

  @ApiPropertyOptional({ description: 'Court or authority that ordered it', maxLength: MAX_TEXT })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT)
  orderedBy?: string;

  toCommand({ caseId }: CommandTarget): CaseCommand {
    return {
      type: 'RecordHouseArrest',
      caseId,
      facts: this.facts(),
      data: { location: this.location ?? null, orderedBy: this.orderedBy ?? null },
      personal: this.freeText(),
    };
  }
}
