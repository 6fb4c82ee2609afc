import { Query } from '@nestjs/cqrs';
import type { Source, Verification } from '#domain';

/** A correction (retraction or confirmation) as it bears on an event. */
export interface CorrectionRef {
  eventId: string;
  recordedAt: string;
  actor: string;
}

export interface CaseHistoryEvent {
  eventId: string;
  version: number;
  position: number;
  type: string;
  occurredOn: string;
  recordedAt: string;
  actor: string;
  source: Source | null;
  verification: Verification;
  data: unknown;
  /** Withdrawn by a standing retraction, as known at `knownAt`. */
  retracted: boolean;
  retractedBy: (CorrectionRef & { reason: string }) | null;
  confirmedBy: (CorrectionRef & { source: Source }) | null;
  /**
   * World events: not retracted and dated on or before `asOf`. The opening and corrections are about
   * the record, not the world: they count whenever they are not retracted.
   */
  countsOn: boolean;
}

export interface CaseHistoryResponse {
  caseId: string;
  asOf: string;
  knownAt: string;
  /** The stream's version as known at `knownAt`. */
  version: number;
  events: CaseHistoryEvent[];
}

export class GetCaseHistoryQuery extends Query<CaseHistoryResponse> {
  constructor(
    readonly caseId: string,
    readonly asOf: string | undefined,
    readonly knownAt: string | undefined,
  ) {
    super();
  }
}
