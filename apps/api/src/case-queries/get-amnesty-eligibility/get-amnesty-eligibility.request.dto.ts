import { ListAsOfQueryDto } from '../shared/list-time.request.dto.js';

/** `asOf`, `knownAt` and `verification` (default `all`). */
export class GetAmnestyEligibilityRequestDto extends ListAsOfQueryDto {}
