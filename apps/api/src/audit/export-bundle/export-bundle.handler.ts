import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ApplicationError, exportBundle, type AuditBundle } from '#application';
import { DomainError, DomainErrorCode, type Clock } from '#domain';
import { EVENT_STORE, type EventStore } from '#event-store';
import { CLOCK } from '../../cases/cases.tokens.js';
import { ExportBundleQuery } from './export-bundle.query.js';

@QueryHandler(ExportBundleQuery)
export class ExportBundleHandler implements IQueryHandler<ExportBundleQuery, AuditBundle> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ request: r }: ExportBundleQuery): Promise<AuditBundle> {
    if (r.caseId === undefined && r.from! > r.to!) throw ApplicationError.validationFailed([{ field: 'from', messages: ['from must not be after to'] }]);
    const bundle = await exportBundle(this.store, r.caseId !== undefined ? { caseId: r.caseId } : { fromPosition: r.from!, toPosition: r.to! }, this.clock.now());
    if (r.caseId !== undefined && bundle.events.length === 0) {
      throw new DomainError(DomainErrorCode.CaseNotFound, `case ${r.caseId} does not exist`, { caseId: r.caseId });
    }
    return bundle;
  }
}
