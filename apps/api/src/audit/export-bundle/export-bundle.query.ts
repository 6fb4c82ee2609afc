import { Query } from '@nestjs/cqrs';
import type { AuditBundle } from '#application';
import type { ExportBundleRequestDto } from './export-bundle.request.dto.js';

export class ExportBundleQuery extends Query<AuditBundle> {
  constructor(readonly request: ExportBundleRequestDto) {
    super();
  }
}
