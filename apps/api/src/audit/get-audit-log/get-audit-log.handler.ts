import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import { auditLog, type AuditLogRow, type Page } from '#projections';
import { READ_MODELS } from '../../projections/projections.tokens.js';
import { GetAuditLogQuery } from './get-audit-log.query.js';

/** Bounds given as days cover the whole day; instants compare as the store writes them (UTC). */
const lower = (v?: string) => (v === undefined ? undefined : v.length === 10 ? `${v}T00:00:00.000Z` : new Date(v).toISOString());
const upper = (v?: string) => (v === undefined ? undefined : v.length === 10 ? `${v}T23:59:59.999Z` : new Date(v).toISOString());

@QueryHandler(GetAuditLogQuery)
export class GetAuditLogHandler implements IQueryHandler<GetAuditLogQuery, Page<AuditLogRow>> {
  constructor(@Inject(READ_MODELS) private readonly readModels: DataSource) {}

  execute({ request: r }: GetAuditLogQuery): Promise<Page<AuditLogRow>> {
    return auditLog(this.readModels, { from: lower(r.from), to: upper(r.to), actor: r.actor, caseId: r.caseId, page: r.page ?? 1, pageSize: r.pageSize ?? 100 });
  }
}
