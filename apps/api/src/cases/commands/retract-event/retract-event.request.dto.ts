import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, IsUUID, MaxLength } from 'class-validator';
import type { CaseCommand } from '#domain';
import type { CaseCommandRequest, CommandTarget } from '../shared/case-command-request.js';

/** Nothing is edited or deleted: a retraction names the event it withdraws and why. */
export class RetractEventRequestDto implements CaseCommandRequest {
  @ApiProperty({ description: 'The event to withdraw (a retraction restores the event it retracted)' })
  @IsUUID()
  eventId!: string;

  @ApiProperty({ maxLength: 2000 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;

  toCommand({ caseId }: CommandTarget): CaseCommand {
    return { type: 'RetractEvent', caseId, data: { eventId: this.eventId, reason: this.reason } };
  }
}
