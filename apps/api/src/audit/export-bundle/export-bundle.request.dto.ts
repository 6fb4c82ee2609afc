import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsUUID, Min, ValidateIf } from 'class-validator';

/** Either one case, or a range of the global log. */
export class ExportBundleRequestDto {
  @ApiPropertyOptional({ description: 'Export one case (its events and their links)' })
  @ValidateIf((o: ExportBundleRequestDto) => o.from === undefined && o.to === undefined)
  @IsUUID(undefined, { message: 'caseId must be a UUID (or give from and to)' })
  caseId?: string;

  @ApiPropertyOptional({ description: 'First position of a range' })
  @ValidateIf((o: ExportBundleRequestDto) => o.caseId === undefined)
  @Type(() => Number)
  @IsInt()
  @Min(1)
  from?: number;

  @ApiPropertyOptional({ description: 'Last position of a range' })
  @ValidateIf((o: ExportBundleRequestDto) => o.caseId === undefined)
  @Type(() => Number)
  @IsInt()
  @Min(1)
  to?: number;
}
