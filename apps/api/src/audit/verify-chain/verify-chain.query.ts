import { Query } from '@nestjs/cqrs';
import type { ChainVerification } from '#event-store';
import type { VerifyChainRequestDto } from './verify-chain.request.dto.js';

export type ChainReport = ChainVerification & { head: { position: number; hash: string } };

export class VerifyChainQuery extends Query<ChainReport> {
  constructor(readonly request: VerifyChainRequestDto) {
    super();
  }
}
