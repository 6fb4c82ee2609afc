import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import type { CaseCommand } from '#domain';
import type { CaseCommandRequest, CommandTarget } from '../shared/case-command-request.js';
import { EventFactsDto, MAX_TEXT } from '../shared/event-facts.request.dto.js';

/** Proof of life: where a disappeared person is held. */
export class RecordWhereaboutsRequestDto extends EventFactsDto implements CaseCommandRequest {
  @ApiProperty({ example: 'Rodeo I', maxLength: MAX_TEXT })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT)
  facility!: string;

  toCommand({ caseId }: CommandTarget): CaseCommand {
    return { type: 'RecordWhereabouts', caseId, facts: this.facts(), data: { facility: this.facility }, personal: this.freeText() };
  }
}
