import { Query } from '@nestjs/cqrs';
import type { AccessLogRow, Page } from '#projections';
import type { GetAccessLogRequestDto } from './get-access-log.request.dto.js';

export class GetAccessLogQuery extends Query<Page<AccessLogRow>> {
  constructor(readonly request: GetAccessLogRequestDto) {
    super();
  }
}
