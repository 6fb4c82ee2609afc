import type { CaseCommand } from '../case/commands.js';
import type { CaseDecider } from '../case/decider.js';
import type { CaseEvent, RecordedCaseEvent } from '../case/events.js';
import type { CaseState } from '../case/state.js';
import { DomainError, type DomainErrorCode } from '../errors.js';

/**
 * given(events).when(command).then(events | error), in the style of Emmett's DeciderSpecification.
 * Given events are recorded with ids `e1`, `e2`, … so that corrections can name them.
 */
export function specFor(decider: CaseDecider, now: Date) {
  return {
    given(events: CaseEvent[]) {
      const recorded: RecordedCaseEvent[] = events.map(
        (e, i) => ({ ...e, eventId: `e${i + 1}`, version: i + 1, position: i + 1, recordedAt: now.toISOString() }) as RecordedCaseEvent,
      );
      const state = recorded.reduce<CaseState>((s, e) => decider.evolve(s, e), decider.initialState());
      return {
        state,
        when(command: CaseCommand) {
          const run = () => decider.decide(command, state, { now });
          return {
            then(expected: CaseEvent[]): void {
              expect(run()).toEqual(expected);
            },
            thenThrows(code: DomainErrorCode, details?: Record<string, unknown>): DomainError {
              let caught: unknown;
              try {
                run();
              } catch (e) {
                caught = e;
              }
              expect(caught).toBeInstanceOf(DomainError);
              const error = caught as DomainError;
              expect(error.code).toBe(code);
              if (details) expect(error.details).toMatchObject(details);
              return error;
            },
            /** The state after applying what the command decided. */
            thenState(): CaseState {
              const decided = run();
              return decided.reduce<CaseState>(
                (s, e, i) =>
                  decider.evolve(s, { ...e, eventId: `n${i + 1}`, version: recorded.length + i + 1, position: recorded.length + i + 1, recordedAt: now.toISOString() } as RecordedCaseEvent),
                state,
              );
            },
          };
        },
      };
    },
  };
}
