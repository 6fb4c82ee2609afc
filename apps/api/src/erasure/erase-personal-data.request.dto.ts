import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class ErasePersonalDataRequestDto {
  @ApiProperty({
    maxLength: 2000,
    description: 'Why (a request reference, a legal basis). Stored in clear and kept for good in the hash-chained log: it must not identify the person.',
    example: 'request of the family, ticket 2026-031',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;
}
