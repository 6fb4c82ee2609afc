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
import { CaseEventCodec, caseIdOf, caseStreamId, type PersonalView } from './case-event-codec.js';

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
    private readonly codec: CaseEventCodec = CaseEventCodec.withoutEncryption(),
  ) {}

  /** The case's events with their personal data sealed (null): enough to decide and to fold, and no key is used. */
  async events(caseId: string): Promise<RecordedCaseEvent[]> {
    const stored = await this.store.readStream(caseStreamId(caseId));
    return stored.map((e) => this.codec.decode(e));
  }

  /** The case's events with their personal data decrypted, and each event's personal member as a reader sees it (erased ones `{ erased: true }`). */
  async eventsWithPersonalData(caseId: string): Promise<{ events: RecordedCaseEvent[]; personal: PersonalView[] }> {
    return this.codec.decodeWithPersonalData(await this.store.readStream(caseStreamId(caseId)));
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

export interface ExecuteOptions {
  /**
   * Runs once the command is decided (so it is allowed, on a fresh state) and before its events are
   * appended; again on each retry after a lost race, so it must be idempotent. The erasure destroys
   * the person's data key here: a rejected erasure destroys nothing, and a key is never left alive
   * behind a recorded erasure.
   */
  beforeAppend?: () => Promise<void>;
}

/**
 * Runs one case command: load, decide, append with the version the decision was made on.
 * The only write path for case streams. Personal data is encrypted by the codec before the append.
 */
export class CaseCommandExecutor {
  private readonly repository: CaseRepository;

  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly decider: CaseDecider = caseDecider(),
    private readonly codec: CaseEventCodec = CaseEventCodec.withoutEncryption(),
  ) {
    this.repository = new CaseRepository(store, decider, codec);
  }

  async execute(command: CaseCommand, context: CommandContext, options: ExecuteOptions = {}): Promise<CommandOutcome> {
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
      const envelopes = [];
      for (const e of decided) envelopes.push(await this.codec.encode(command.caseId, e, this.ids.next(), meta));
      if (options.beforeAppend) await options.beforeAppend();
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

/**
 * Erases a person's personal data: destroys the case's data key (crypto-shredding: every copy of
 * the case's envelopes, in the log, the read models, bundles and backups of them, becomes
 * unreadable, as long as no copy of the key itself survives in a key-store backup) and records `PersonalDataErased`. The domain decides first (404 unknown case, 409 erased already,
 * 412 stale `If-Match`), so a refused erasure destroys nothing. Statuses, dates and counts are
 * untouched, and the stored bytes, hence the hash chain, do not change.
 */
export class PersonalDataEraser {
  constructor(
    private readonly executor: CaseCommandExecutor,
    private readonly codec: CaseEventCodec,
  ) {}

  erase(caseId: string, reason: string, context: CommandContext): Promise<CommandOutcome> {
    return this.executor.execute({ type: 'ErasePersonalData', caseId, data: { reason } }, context, {
      beforeAppend: async () => {
        await this.codec.erase(caseId);
      },
    });
  }
}
