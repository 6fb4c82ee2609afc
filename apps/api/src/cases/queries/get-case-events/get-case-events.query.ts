import { Query } from '@nestjs/cqrs';
import type { PersonalView } from '#application';
import type { RecordedEvent } from '#event-store';

export interface CaseEventsResponse {
  caseId: string;
  version: number;
  /**
   * Each event as stored, but with `personal` decrypted (`{ "erased": true }` once erased). `hash`
   * and `previousHash` cover the stored, encrypted form: verify them on an audit bundle.
   */
  events: (Omit<RecordedEvent, 'personal'> & { personal: PersonalView; retracted: boolean; confirmed: boolean })[];
}

export class GetCaseEventsQuery extends Query<CaseEventsResponse> {
  constructor(readonly caseId: string) {
    super();
  }
}
