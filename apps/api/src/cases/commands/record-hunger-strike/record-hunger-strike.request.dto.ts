import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import type { CaseCommand } from '#domain';
import type { CaseCommandRequest, CommandTarget } from '../shared/case-command-request.js';
import { EventFactsDto } from '../shared/event-facts.request.dto.js';

export const HUNGER_STRIKE_PHASES = ['started', 'ended'] as const;

export class RecordHungerStrikeRequestDto extends EventFactsDto implements CaseCommandRequest {
  @ApiProperty({ enum: HUNGER_STRIKE_PHASES })
  @IsIn(HUNGER_STRIKE_PHASES)
  phase!: (typeof HUNGER_STRIKE_PHASES)[number];

  toCommand({ caseId }: CommandTarget): CaseCommand {
    const type = this.phase === 'started' ? 'StartHungerStrike' : 'EndHungerStrike';
    return { type, caseId, facts: this.facts(), data: {}, personal: this.freeText() };
  }
}
