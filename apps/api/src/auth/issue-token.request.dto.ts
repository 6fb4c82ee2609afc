import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, Matches } from 'class-validator';
import { ACCESS_TOKEN_NAME_PATTERN, ROLES, type Role } from '#application';

export class IssueTokenRequestDto {
  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;

  @ApiProperty({ description: 'Who the token is for; what it records is signed `token:<name>`', example: 'maria.caseworker' })
  @IsString()
  @Matches(ACCESS_TOKEN_NAME_PATTERN, { message: 'name must be 1 to 100 characters among letters, digits, ".", "_", "@", "+" and "-", starting with a letter or digit' })
  name!: string;

  @ApiPropertyOptional({ description: 'ISO 8601 instant after which the token is refused', example: '2026-12-31T23:59:59Z' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true }, { message: 'expiresAt must be an ISO 8601 instant' })
  expiresAt?: string;
}
