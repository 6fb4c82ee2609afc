import { Query } from '@nestjs/cqrs';
import type { AuditLogRow, Page } from '#projections';
import type { GetAuditLogRequestDto } from './get-audit-log.request.dto.js';

export class GetAuditLogQuery extends Query<Page<AuditLogRow>> {
  constructor(readonly request: GetAuditLogRequestDto) {
    super();
  }
}
