import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { verifyLog } from '#application';
import { EVENT_STORE, type EventStore } from '#event-store';
import { VerifyChainQuery, type ChainReport } from './verify-chain.query.js';

@QueryHandler(VerifyChainQuery)
export class VerifyChainHandler implements IQueryHandler<VerifyChainQuery, ChainReport> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute({ request }: VerifyChainQuery): Promise<ChainReport> {
    return verifyLog(this.store, { from: request.from, to: request.to });
  }
}
