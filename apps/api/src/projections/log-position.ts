import { Inject, Injectable } from '@nestjs/common';
import { ApplicationError, ApplicationErrorCode, hashAt } from '#application';
import { EVENT_STORE, type EventStore } from '#event-store';
import { Projector } from '#projections';

/** The log position an answer is computed from, and the chain hash there: what makes a report reproducible. */
@Injectable()
export class LogPosition {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly projector: Projector,
  ) {}

  /** `atPosition` when asked (waiting briefly for the read models to reach it), else what they reflect now. */
  async resolve(atPosition?: number): Promise<{ position: number; headHash: string }> {
    if (atPosition === undefined) {
      const position = await this.projector.checkpoint();
      return { position, headHash: await hashAt(this.store, position) };
    }
    const head = await this.store.headPosition();
    if (atPosition > head) {
      throw ApplicationError.validationFailed([{ field: 'atPosition', messages: [`atPosition must not be beyond the end of the log (${head})`] }]);
    }
    if (!(await this.projector.waitFor(atPosition, 5_000))) {
      throw new ApplicationError(ApplicationErrorCode.StoreUnavailable, `the read models have not reached position ${atPosition} yet; retry shortly`);
    }
    return { position: atPosition, headHash: await hashAt(this.store, atPosition) };
  }
}
