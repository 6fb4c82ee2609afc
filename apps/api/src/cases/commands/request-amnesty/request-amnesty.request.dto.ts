import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { AMNESTY_FILERS, type AmnestyFiler, type CaseCommand } from '#domain';
import type { CaseCommandRequest, CommandTarget } from '../shared/case-command-request.js';
import { EventFactsDto, MAX_TEXT } from '../shared/event-facts.request.dto.js';

/** An amnesty request filed with a tribunal, which has 15 calendar days to decide. */
export class RequestAmnestyRequestDto extends EventFactsDto implements CaseCommandRequest {
  @ApiPropertyOptional({ description: 'Client-chosen id (UUID); generated when absent' })
  @IsOptional()
  @IsUUID()
  requestId?: string;

  @ApiProperty({ enum: AMNESTY_FILERS })
  @IsIn(AMNESTY_FILERS)
  filedBy!: AmnestyFiler;

  @ApiPropertyOptional({ maxLength: MAX_TEXT })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT)
  tribunal?: string;

  @ApiPropertyOptional({ description: 'Personal data, encrypted at rest', maxLength: MAX_TEXT })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT)
  lawyerName?: string;

  toCommand({ caseId }: CommandTarget, newId: () => string): CaseCommand {
    const personal = this.lawyerName === undefined && this.notes === undefined ? null : { lawyerName: this.lawyerName ?? null, notes: this.notes ?? null };
    return {
      type: 'RequestAmnesty',
      caseId,
      facts: this.facts(),
      data: { requestId: this.requestId ?? newId(), filedBy: this.filedBy, tribunal: this.tribunal ?? null },
      personal,
    };
  }
}
