import type { CaseCommand } from '#domain';
import type { CaseCommandRequest, CommandTarget } from '../shared/case-command-request.js';
import { CustodyEntryDto } from '../shared/custody-fields.js';

export class RecordDetentionRequestDto extends CustodyEntryDto implements CaseCommandRequest {
  toCommand({ caseId }: CommandTarget): CaseCommand {
    return { type: 'RecordDetention', caseId, facts: this.facts(), data: this.custody(), personal: this.freeText() };
  }
}
