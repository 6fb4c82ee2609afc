import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsOptional, IsString, MaxLength, IsNotEmpty } from 'class-validator';
import { EventFactsDto, MAX_TEXT } from './event-facts.request.dto.js';

/** Fields shared by a first detention and a re-arrest. */
export class CustodyEntryDto extends EventFactsDto {
  @ApiPropertyOptional({ example: 'El Helicoide', maxLength: MAX_TEXT })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT)
  facility?: string;

  @ApiPropertyOptional({ example: 'SEBIN', maxLength: MAX_TEXT })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT)
  arrestingAuthority?: string;

  @ApiPropertyOptional({ type: [String], example: ['terrorism', 'treason'] })
  @IsOptional()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(MAX_TEXT, { each: true })
  charges?: string[];

  protected custody() {
    return { facility: this.facility ?? null, arrestingAuthority: this.arrestingAuthority ?? null, charges: this.charges ?? [] };
  }
}
