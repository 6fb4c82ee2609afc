import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

export class SignInRequestDto {
  @ApiProperty({ description: 'An access token (pct_…), as issued by an admin' })
  @IsString()
  @MinLength(1, { message: 'token must not be empty' })
  @MaxLength(200)
  token!: string;
}
