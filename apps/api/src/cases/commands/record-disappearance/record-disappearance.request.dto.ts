import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import type { CaseCommand } from '#domain';
import type { CaseCommandRequest, CommandTarget } from '../shared/case-command-request.js';
import { EventFactsDto, MAX_TEXT } from '../shared/event-facts.request.dto.js';

/** A forced disappearance: taken by unidentified agents, whereabouts not disclosed. */
export class RecordDisappearanceRequestDto extends EventFactsDto implements CaseCommandRequest {
  @ApiPropertyOptional({ example: 'unidentified armed men', maxLength: MAX_TEXT })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT)
  takenBy?: string;

  @ApiPropertyOptional({ description: 'Where the person was last seen (city or facility)', maxLength: MAX_TEXT })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT)
  lastSeenAt?: string;

  toCommand({ caseId }: CommandTarget): CaseCommand {
    return {
      type: 'RecordDisappearance',
      caseId,
      facts: this.facts(),
      data: { takenBy: this.takenBy ?? null, lastSeenAt: this.lastSeenAt ?? null },
      personal: this.freeText(),
    };
  }
}
