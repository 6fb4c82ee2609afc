import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsISO31661Alpha2,
  IsNotEmpty,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { AFFILIATIONS, GENDERS, type Affiliation, type CaseCommand, type Gender } from '#domain';
import type { CaseCommandRequest, CommandTarget } from '../shared/case-command-request.js';
import { CustodyEntryDto } from '../shared/custody-fields.js';
import { MAX_NOTES, MAX_TEXT, SourceDto } from '../shared/event-facts.request.dto.js';

export class PersonDto {
  @ApiPropertyOptional({ description: 'Required unless nameWithheld (personal data, encrypted at rest)', maxLength: MAX_TEXT })
  @ValidateIf((o: PersonDto) => o.nameWithheld !== true || o.fullName !== undefined)
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT)
  fullName?: string;

  @ApiPropertyOptional({ description: 'The family asked that the name not be recorded', default: false })
  @IsOptional()
  @IsBoolean()
  nameWithheld?: boolean;

  @ApiProperty({ type: [String], description: 'ISO 3166-1 alpha-2 codes; dual nationals have several', example: ['ES', 'VE'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(5)
  @IsISO31661Alpha2({ each: true })
  nationalities!: string[];

  @ApiProperty({ enum: GENDERS })
  @IsIn(GENDERS)
  gender!: Gender;

  @ApiPropertyOptional({ description: 'Personal data, encrypted at rest', minimum: 1900 })
  @IsOptional()
  @IsInt()
  @Min(1900)
  @Max(2100)
  birthYear?: number;

  @ApiProperty({ description: 'Under 18 at detention' })
  @IsBoolean()
  minor!: boolean;

  @ApiProperty({ enum: AFFILIATIONS })
  @IsIn(AFFILIATIONS)
  affiliation!: Affiliation;

  @ApiPropertyOptional({ description: "Another organisation's reference for this person", maxLength: MAX_TEXT })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT)
  externalReference?: string;

  @ApiPropertyOptional({ maxLength: MAX_NOTES })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_NOTES)
  notes?: string;
}

/** The first detention, recorded with the opening. */
export class FirstDetentionDto extends CustodyEntryDto {
  toDetention() {
    return { facts: this.facts(), data: this.custody(), personal: this.freeText() };
  }
}

export class OpenCaseRequestDto implements CaseCommandRequest {
  @ApiProperty({ type: PersonDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => PersonDto)
  person!: PersonDto;

  @ApiPropertyOptional({ type: FirstDetentionDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => FirstDetentionDto)
  detention?: FirstDetentionDto;

  @ApiPropertyOptional({ type: SourceDto, description: 'Who reported the case' })
  @IsOptional()
  @ValidateNested()
  @Type(() => SourceDto)
  source?: SourceDto;

  toCommand({ caseId }: CommandTarget): CaseCommand {
    const p = this.person;
    const withheld = p.nameWithheld === true;
    return {
      type: 'OpenCase',
      caseId,
      source: this.source ? this.source.toSource() : null,
      data: {
        nameWithheld: withheld,
        nationalities: p.nationalities.map((n) => n.toUpperCase()),
        gender: p.gender,
        minor: p.minor,
        affiliation: p.affiliation,
        externalReference: p.externalReference ?? null,
      },
      personal: { fullName: withheld ? null : p.fullName!, birthYear: p.birthYear ?? null, notes: p.notes ?? null },
      firstDetention: this.detention ? this.detention.toDetention() : null,
    };
  }
}
