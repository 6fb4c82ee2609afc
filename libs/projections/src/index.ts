export * from './projection.js';
export * from './projector.js';
export * from './schema/read-model.entities.js';
export * from './schema/data-source.js';
export * from './case-projection/case-history.projection.js';
export * from './queries/time-query.js';
export * from './queries/stock.queries.js';
export * from './queries/flow.queries.js';
