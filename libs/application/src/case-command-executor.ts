import {
  caseDecider,
  type CaseCommand,
  type CaseDecider,
  type CaseState,
  type Clock,
  type IdGenerator,
  type RecordedCaseEvent,
} from '#domain';
import { WrongExpectedVersionError, type AppendResult, type EventStore } from '#event-store';
import { ApplicationError, ApplicationErrorCode } from './application-error.js';
import { caseIdOf, caseStreamId, decodeCaseEvent, encodeCaseEvent } from './case-event-codec.js';

export interface CommandContext {
  actor: string;
  correlationId: string;
  causationId: string | null;
  /** The client's `Idempotency-Key`: it becomes the command id, so a retry writes nothing. */
  idempotencyKey: string | null;
  /** The client's `If-Match`: the stream version the client decided on. */
  expectedVersion: number | null;
}

export interface CommandOutcome {
  caseId: string;
  /** The stream's version after the command. */
  version: number;
  events: { eventId: string; version: number; position: number }[];
  /** True when an earlier request with the same idempotency key had already done it. */
  duplicate: boolean;
}

/** Reads a case stream and folds it into the case state. */
export class CaseRepository {
  constructor(
    private readonly store: EventStore,
    private readonly decider: CaseDecider,
  ) {}

  async events(caseId: string): Promise<RecordedCaseEvent[]> {
    const stored = await this.store.readStream(caseStreamId(caseId));
    return stored.map(decodeCaseEvent);
  }

  async load(caseId: string): Promise<{ state: CaseState; events: RecordedCaseEvent[] }> {
    const events = await this.events(caseId);
    let state = this.decider.initialState();
    for (const e of events) state = this.decider.evolve(state, e);
    return { state, events };
  }
}

/**
 * Without `If-Match` a lost race is retried on fresh state (the rules are checked again each time),
 * after a short random pause so that contending writers spread out.
 */
const MAX_ATTEMPTS = 25;
const backoff = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 * attempt)));

/**
 * Runs one case command: load, decide, append with the version the decision was made on.
 * The only write path for case streams.
 */
export class CaseCommandExecutor {
  private readonly repository: CaseRepository;

  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly decider: CaseDecider = caseDecider(),
  ) {
    this.repository = new CaseRepository(store, decider);
  }

  async execute(command: CaseCommand, context: CommandContext): Promise<CommandOutcome> {
    const streamId = caseStreamId(command.caseId);
    const commandId = context.idempotencyKey ?? this.ids.next();
    if (context.idempotencyKey !== null) {
      const earlier = await this.store.findCommand(commandId);
      if (earlier) return this.replayed(earlier, streamId, command);
    }
    for (let attempt = 1; ; attempt++) {
      const { state } = await this.repository.load(command.caseId);
      if (context.expectedVersion !== null && context.expectedVersion !== state.version) {
        throw staleVersion(context.expectedVersion, state.version);
      }
      const decided = this.decider.decide(command, state, { now: this.clock.now() });
      const meta = { actor: context.actor, commandId, correlationId: context.correlationId, causationId: context.causationId };
      const envelopes = decided.map((e) => encodeCaseEvent(e, this.ids.next(), meta));
      try {
        const result = await this.store.append(streamId, envelopes, { expectedVersion: state.version, commandId });
        if (result.duplicate) return this.replayed(result, streamId, command);
        return toOutcome(command.caseId, result);
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        if (context.expectedVersion !== null) throw staleVersion(context.expectedVersion, error.actualVersion);
        if (attempt >= MAX_ATTEMPTS) {
          throw new ApplicationError(ApplicationErrorCode.ConcurrentModification, `case ${command.caseId} kept changing while this command was decided; retry`, {
            details: { caseId: command.caseId },
          });
        }
        await backoff(attempt);
      }
    }
  }

  private replayed(earlier: AppendResult, streamId: string, command: CaseCommand): CommandOutcome {
    if (earlier.streamId !== streamId) {
      // Opening a case draws a fresh case id on each attempt: the retry is the same command all the same.
      const earlierCaseId = caseIdOf(earlier.streamId);
      if (command.type === 'OpenCase' && earlierCaseId !== null && earlier.events[0]?.version === 1) {
        return { ...toOutcome(earlierCaseId, earlier), duplicate: true };
      }
      throw new ApplicationError(ApplicationErrorCode.IdempotencyKeyReused, 'this Idempotency-Key was already used for a command on another case', {
        details: { commandType: command.type },
      });
    }
    return { ...toOutcome(command.caseId, earlier), duplicate: true };
  }
}

function toOutcome(caseId: string, result: AppendResult): CommandOutcome {
  return { caseId, version: result.version, events: result.events, duplicate: result.duplicate };
}

function staleVersion(expected: number, actual: number): ApplicationError {
  return new ApplicationError(ApplicationErrorCode.StaleVersion, `the case is at version ${actual}, not ${expected}: someone else changed it; reload and retry`, {
    details: { expectedVersion: expected, actualVersion: actual },
  });
}

