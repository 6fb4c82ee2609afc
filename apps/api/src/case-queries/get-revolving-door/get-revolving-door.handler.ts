import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import { CaseEventCodec } from '#application';
import { revolvingDoor } from '#projections';
import { READ_MODELS } from '../../projections/projections.tokens.js';
import { ReadTime } from '../../projections/read-time.js';
import { LIST_DEFAULT_SCOPE } from '../shared/list-time.request.dto.js';
import { GetRevolvingDoorQuery, type RevolvingDoorResponse } from './get-revolving-door.query.js';

@QueryHandler(GetRevolvingDoorQuery)
export class GetRevolvingDoorHandler implements IQueryHandler<GetRevolvingDoorQuery, RevolvingDoorResponse> {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: DataSource,
    private readonly readTime: ReadTime,
    private readonly codec: CaseEventCodec,
  ) {}

  async execute({ from, to, knownAt, verification }: GetRevolvingDoorQuery): Promise<RevolvingDoorResponse> {
    const q = this.readTime.query({ knownAt, verification }, LIST_DEFAULT_SCOPE);
    const result = await revolvingDoor(this.readModels, from, to, q, (rows) => this.codec.readNames(rows));
    return { from, to, knownAt: q.knownAt, verification: q.scope, ...result };
  }
}
