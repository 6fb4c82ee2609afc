import { DEFAULT_TIME_ZONE } from '../shared/dates.js';
import type { CaseCommand } from './commands.js';
import { makeDecide, type DecideContext } from './decide.js';
import type { CaseEvent, RecordedCaseEvent } from './events.js';
import { initialCaseState, makeEvolve, type CaseModelOptions, type CaseState } from './state.js';

export interface CaseDecider {
  decide(command: CaseCommand, state: CaseState, context: DecideContext): CaseEvent[];
  evolve(state: CaseState, event: RecordedCaseEvent): CaseState;
  initialState(): CaseState;
}

/** The case aggregate as a decider: `decide`, `evolve` and the state before any event. */
export function caseDecider(options: CaseModelOptions = { timeZone: DEFAULT_TIME_ZONE }): CaseDecider {
  return { decide: makeDecide(options), evolve: makeEvolve(options), initialState: initialCaseState };
}
