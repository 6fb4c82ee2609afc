import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsUUID, ValidateNested } from 'class-validator';
import type { CaseCommand } from '#domain';
import type { CaseCommandRequest, CommandTarget } from '../shared/case-command-request.js';
import { SourceDto } from '../shared/event-facts.request.dto.js';

/** A `reported` event confirmed by a named source. */
export class ConfirmEventRequestDto implements CaseCommandRequest {
  @ApiProperty()
  @IsUUID()
  eventId!: string;

  @ApiProperty({ type: SourceDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => SourceDto)
  source!: SourceDto;

  toCommand({ caseId }: CommandTarget): CaseCommand {
    return { type: 'ConfirmEvent', caseId, data: { eventId: this.eventId, source: this.source.toSource() } };
  }
}
