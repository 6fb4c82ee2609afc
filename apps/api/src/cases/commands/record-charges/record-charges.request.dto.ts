import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { EXCLUDED_OFFENCES, type CaseCommand, type ExcludedOffence } from '#domain';
import type { CaseCommandRequest, CommandTarget } from '../shared/case-command-request.js';
import { EventFactsDto, MAX_TEXT } from '../shared/event-facts.request.dto.js';

export class RecordChargesRequestDto extends EventFactsDto implements CaseCommandRequest {
  @ApiProperty({ type: [String], example: ['incitement to hatred'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(MAX_TEXT, { each: true })
  charges!: string[];

  @ApiPropertyOptional({ enum: EXCLUDED_OFFENCES, isArray: true, description: 'Charges that the amnesty law excludes' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(EXCLUDED_OFFENCES.length)
  @IsIn(EXCLUDED_OFFENCES, { each: true })
  excludedOffences?: ExcludedOffence[];

  @ApiPropertyOptional({ description: 'A sentence was handed down' })
  @IsOptional()
  @IsBoolean()
  sentenced?: boolean;

  toCommand({ caseId }: CommandTarget): CaseCommand {
    return {
      type: 'RecordCharges',
      caseId,
      facts: this.facts(),
      data: { charges: this.charges, excludedOffences: this.excludedOffences ?? [], sentenced: this.sentenced ?? false },
      personal: this.freeText(),
    };
  }
}
