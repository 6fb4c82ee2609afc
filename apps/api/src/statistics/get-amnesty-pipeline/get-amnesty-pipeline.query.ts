import { Query } from '@nestjs/cqrs';
import type { AmnestyPipeline } from '#projections';
import type { GetAmnestyPipelineRequestDto } from './get-amnesty-pipeline.request.dto.js';

export interface AmnestyPipelineResponse extends AmnestyPipeline {
  asOf: string;
  knownAt: string;
  verification: 'all' | 'confirmed';
  /** The log position and chain hash this answer is computed from. */
  position: number;
  headHash: string;
  /** Days a tribunal has to decide a request (the amnesty law). */
  limitDays: number;
}

export class GetAmnestyPipelineQuery extends Query<AmnestyPipelineResponse> {
  constructor(readonly request: GetAmnestyPipelineRequestDto) {
    super();
  }
}
