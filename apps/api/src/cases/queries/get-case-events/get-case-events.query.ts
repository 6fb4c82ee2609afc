import { Query } from '@nestjs/cqrs';
import type { RecordedEvent } from '#event-store';

export interface CaseEventsResponse {
  caseId: string;
  version: number;
  events: (RecordedEvent & { retracted: boolean; confirmed: boolean })[];
}

export class GetCaseEventsQuery extends Query<CaseEventsResponse> {
  constructor(readonly caseId: string) {
    super();
  }
}
