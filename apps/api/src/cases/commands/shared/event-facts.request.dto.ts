import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  MaxLength,
  registerDecorator,
  ValidateNested,
  type ValidationOptions,
} from 'class-validator';
import {
  DATE_PRECISIONS,
  isValidOccurredOn,
  SOURCE_KINDS,
  VERIFICATIONS,
  type DatePrecision,
  type EventFacts,
  type Source,
  type SourceKind,
  type Verification,
} from '#domain';

/** `YYYY-MM-DD` of a real calendar day, or an ISO date-time with an offset. */
export function IsOccurredOn(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isOccurredOn',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be a real date (YYYY-MM-DD) or an ISO date-time with offset', ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && isValidOccurredOn(value) },
    });
}

export const MAX_TEXT = 200;
export const MAX_NOTES = 4000;

export class SourceDto {
  @ApiProperty({ enum: SOURCE_KINDS })
  @IsIn(SOURCE_KINDS)
  kind!: SourceKind;

  @ApiProperty({ example: 'Foro Penal', maxLength: MAX_TEXT })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT)
  name!: string;

  @ApiPropertyOptional({ description: 'URL or document reference', maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reference?: string;

  toSource(): Source {
    return { kind: this.kind, name: this.name, reference: this.reference ?? null };
  }
}

/** What every recorded world event states about itself: when, how precisely, on whose word. */
export class EventFactsDto {
  @ApiProperty({ description: 'When it happened: YYYY-MM-DD or ISO date-time with offset', example: '2026-01-08' })
  @IsOccurredOn()
  occurredOn!: string;

  @ApiPropertyOptional({ enum: DATE_PRECISIONS, default: 'day' })
  @IsOptional()
  @IsIn(DATE_PRECISIONS)
  datePrecision?: DatePrecision;

  @ApiPropertyOptional({ type: SourceDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => SourceDto)
  source?: SourceDto;

  @ApiPropertyOptional({ enum: VERIFICATIONS, default: 'confirmed' })
  @IsOptional()
  @IsIn(VERIFICATIONS)
  verification?: Verification;

  @ApiPropertyOptional({ description: 'Circumstances in free text (personal data, encrypted at rest)', maxLength: MAX_NOTES })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_NOTES)
  notes?: string;

  protected facts(): EventFacts {
    return {
      occurredOn: this.occurredOn,
      datePrecision: this.datePrecision ?? 'day',
      source: this.source ? this.source.toSource() : null,
      verification: this.verification ?? 'confirmed',
    };
  }

  protected freeText(): { notes: string } | null {
    return this.notes === undefined ? null : { notes: this.notes };
  }
}
