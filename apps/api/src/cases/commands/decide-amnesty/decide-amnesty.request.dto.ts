import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';
import { EXCLUDED_OFFENCES, type CaseCommand, type ExcludedOffence } from '#domain';
import type { CaseCommandRequest, CommandTarget } from '../shared/case-command-request.js';
import { EventFactsDto, MAX_TEXT } from '../shared/event-facts.request.dto.js';

export const AMNESTY_OUTCOMES = ['granted', 'denied'] as const;

export class DecideAmnestyRequestDto extends EventFactsDto implements CaseCommandRequest {
  @ApiProperty({ enum: AMNESTY_OUTCOMES })
  @IsIn(AMNESTY_OUTCOMES)
  outcome!: (typeof AMNESTY_OUTCOMES)[number];

  @ApiPropertyOptional({ description: 'Required when denied', maxLength: 2000 })
  @ValidateIf((o: DecideAmnestyRequestDto) => o.outcome === 'denied' || o.reason !== undefined)
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason?: string;

  @ApiPropertyOptional({ enum: EXCLUDED_OFFENCES, description: 'When denied for an offence the law excludes' })
  @IsOptional()
  @IsIn(EXCLUDED_OFFENCES)
  excludedOffence?: ExcludedOffence;

  @ApiPropertyOptional({ maxLength: MAX_TEXT })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT)
  tribunal?: string;

  toCommand({ caseId, requestId }: CommandTarget): CaseCommand {
    const base = { requestId: requestId!, tribunal: this.tribunal ?? null };
    return {
      type: 'DecideAmnesty',
      caseId,
      facts: this.facts(),
      data:
        this.outcome === 'granted'
          ? { ...base, outcome: 'granted' }
          : { ...base, outcome: 'denied', reason: this.reason!, excludedOffence: this.excludedOffence ?? null },
      personal: this.freeText(),
    };
  }
}
