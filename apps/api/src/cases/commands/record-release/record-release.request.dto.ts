import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { RELEASE_LEGAL_BASES, type CaseCommand, type ReleaseConditions, type ReleaseLegalBasis } from '#domain';
import type { CaseCommandRequest, CommandTarget } from '../shared/case-command-request.js';
import { EventFactsDto, MAX_TEXT } from '../shared/event-facts.request.dto.js';

export class ReleaseConditionsDto {
  @ApiPropertyOptional({ description: 'Report to a court every N days', example: 30, minimum: 1, maximum: 365 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(365)
  reportEveryDays?: number;

  @ApiPropertyOptional({ description: 'Forbidden to speak publicly' })
  @IsOptional()
  @IsBoolean()
  speechRestriction?: boolean;

  @ApiPropertyOptional({ description: 'Forbidden to leave the country' })
  @IsOptional()
  @IsBoolean()
  travelBan?: boolean;

  @ApiPropertyOptional({ maxLength: MAX_TEXT })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT)
  other?: string;

  toConditions(): ReleaseConditions {
    return {
      reportEveryDays: this.reportEveryDays ?? null,
      speechRestriction: this.speechRestriction ?? false,
      travelBan: this.travelBan ?? false,
      other: this.other ?? null,
    };
  }
}

export class RecordReleaseRequestDto extends EventFactsDto implements CaseCommandRequest {
  @ApiProperty({ enum: RELEASE_LEGAL_BASES })
  @IsIn(RELEASE_LEGAL_BASES)
  legalBasis!: ReleaseLegalBasis;

  @ApiPropertyOptional({ type: ReleaseConditionsDto, description: 'Absent or all empty: a full release' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ReleaseConditionsDto)
  conditions?: ReleaseConditionsDto;

  @ApiPropertyOptional({ description: 'Facility the person was released from', maxLength: MAX_TEXT })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT)
  facility?: string;

  toCommand({ caseId }: CommandTarget): CaseCommand {
    return {
      type: 'RecordRelease',
      caseId,
      facts: this.facts(),
      data: { legalBasis: this.legalBasis, conditions: this.conditions ? this.conditions.toConditions() : null, facility: this.facility ?? null },
      personal: this.freeText(),
    };
  }
}
