import type { CaseCommand } from '#domain';

/** Which case (and, for decisions and appeals, which amnesty request) a route addresses. */
export interface CommandTarget {
  caseId: string;
  requestId?: string;
}

/** Every command request body knows how to become a domain command; ids come from the injected generator. */
export interface CaseCommandRequest {
  toCommand(target: CommandTarget, newId: () => string): CaseCommand;
}
