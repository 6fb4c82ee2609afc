import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, registerDecorator, type ValidationOptions } from 'class-validator';
import { isValidOccurredOn } from '#domain';

/** A calendar day, `YYYY-MM-DD`, that exists. */
export function IsDay(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isDay',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be a real date as YYYY-MM-DD', ...options },
      validator: { validate: (v: unknown) => typeof v === 'string' && v.length === 10 && isValidOccurredOn(v) },
    });
}

export const VERIFICATION_FILTERS = ['confirmed', 'all'] as const;

/** `knownAt` and `verification`, common to every statistics read. */
export class KnownAtQueryDto {
  @ApiPropertyOptional({ description: 'Transaction time: only what was recorded by this instant counts (ISO 8601); default now' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'knownAt must be an ISO 8601 date-time' })
  knownAt?: string;

  @ApiPropertyOptional({ enum: VERIFICATION_FILTERS, default: 'confirmed', description: 'all: include reported events' })
  @IsOptional()
  @IsIn(VERIFICATION_FILTERS)
  verification?: 'confirmed' | 'all';
}

/** `asOf` (a day, default today in the configured zone) with `knownAt` and `verification`. */
export class AsOfQueryDto extends KnownAtQueryDto {
  @ApiPropertyOptional({ description: 'Valid time: the situation at the end of this day; default today', example: '2026-01-26' })
  @IsOptional()
  @IsDay()
  asOf?: string;
}
