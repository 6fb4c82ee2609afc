import { Inject, Injectable, SetMetadata, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { from, mergeMap, type Observable } from 'rxjs';
import type { DataSource } from 'typeorm';
import type { Clock } from '#domain';
import { recordAccess } from '#projections';
import { CLOCK } from '../cases/cases.tokens.js';
import { actorOf, parseCommandContext } from '../http/command-context.js';
import { READ_MODELS } from '../projections/projections.tokens.js';

const RECORDS_ACCESS = 'records-personal-data-access';

/** Marks a route whose answer carries personal data: each case in it is written to the access log. */
export const RecordsPersonalDataAccess = (): MethodDecorator & ClassDecorator => SetMetadata(RECORDS_ACCESS, true);

/** Every case in an answer: `caseId`s (or `case-…` streams) of the answer and of its arrays' items. */
export function caseIdsIn(body: unknown): string[] {
  const ids = new Set<string>();
  const visit = (value: unknown, depth: number) => {
    if (value === null || typeof value !== 'object' || depth > 2) return;
    if (Array.isArray(value)) {
      for (const v of value) visit(v, depth + 1);
      return;
    }
    const id = (value as { caseId?: unknown }).caseId;
    if (typeof id === 'string') ids.add(id);
    // Exported events name their stream, `case-<id>`.
    const stream = (value as { streamId?: unknown }).streamId;
    if (typeof stream === 'string' && stream.startsWith('case-')) ids.add(stream.slice('case-'.length));
    for (const v of Object.values(value)) if (Array.isArray(v)) visit(v, depth + 1);
  };
  visit(body, 0);
  return [...ids];
}

/**
 * Writes who read which case before the answer leaves: a read that cannot be logged is not
 * answered (the error surfaces as a 5xx, never as an unlogged disclosure).
 */
@Injectable()
export class PersonalDataAccessInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    @Inject(READ_MODELS) private readonly readModels: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const records = this.reflector.getAllAndOverride<boolean>(RECORDS_ACCESS, [context.getHandler(), context.getClass()]);
    if (!records) return next.handle();
    const request = context.switchToHttp().getRequest<Request>();
    return next.handle().pipe(
      mergeMap((body) =>
        from(
          (async () => {
            // The actor is the authenticated token's (`token:<name>`), never a header.
            const { actor, correlationId } = parseCommandContext(request.headers, actorOf(request as Request & { auth?: { actor: string } }));
            const readAt = this.clock.now().toISOString();
            const route = `${request.method} ${request.route?.path ?? request.path}`;
            await recordAccess(
              this.readModels,
              caseIdsIn(body).map((caseId) => ({ readAt, actor, caseId, route, correlationId })),
            );
            return body;
          })(),
        ),
      ),
    );
  }
}
