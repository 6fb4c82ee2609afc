import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import type { CaseCommand } from '#domain';
import type { CaseCommandRequest, CommandTarget } from '../shared/case-command-request.js';
import { EventFactsDto, MAX_TEXT } from '../shared/event-facts.request.dto.js';

export class RecordTransferRequestDto extends EventFactsDto implements CaseCommandRequest {
  @ApiProperty({ example: 'Rodeo I', maxLength: MAX_TEXT })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT)
  toFacility!: string;

  toCommand({ caseId }: CommandTarget): CaseCommand {
    return { type: 'RecordTransfer', caseId, facts: this.facts(), data: { toFacility: this.toFacility }, personal: this.freeText() };
  }
}
