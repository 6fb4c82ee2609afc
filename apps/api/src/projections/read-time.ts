import { Inject, Injectable } from '@nestjs/common';
import { dayOfInstant, type Clock, type IsoDay } from '#domain';
import type { TimeQuery } from '#projections';
import { CLOCK } from '../cases/cases.tokens.js';
import { Environment } from '#config';

/** Turns the optional `asOf` / `knownAt` of a request into the two times a read model is asked at. */
@Injectable()
export class ReadTime {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly env: Environment,
  ) {}

  today(): IsoDay {
    return dayOfInstant(this.clock.now(), this.env.TIME_ZONE);
  }

  /** `recordedAt` is stored as UTC with milliseconds, so the instant is normalised to compare as text. */
  knownAt(value: string | undefined): string {
    return value === undefined ? this.clock.now().toISOString() : new Date(value).toISOString();
  }

  query(
    q: { asOf?: string; knownAt?: string; verification?: 'all' | 'confirmed'; atPosition?: number },
    defaultScope: 'all' | 'confirmed' = 'confirmed',
  ): TimeQuery {
    return {
      asOf: q.asOf ?? this.today(),
      knownAt: this.knownAt(q.knownAt),
      scope: q.verification ?? defaultScope,
      ...(q.atPosition !== undefined ? { atPosition: q.atPosition } : {}),
    };
  }
}
