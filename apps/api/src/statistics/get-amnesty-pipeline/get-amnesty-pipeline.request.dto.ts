import { AsOfQueryDto } from '../../projections/query-params.js';

export class GetAmnestyPipelineRequestDto extends AsOfQueryDto {}
