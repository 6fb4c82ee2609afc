export * from './event-store.port.js';
export * from './sqlite/sqlite-event-store.js';
export * from './postgres/postgres-event-store.js';
export * from './kurrentdb/kurrentdb-event-store.js';
export * from './audit/canonical.js';
export * from './audit/verify-chain.js';
