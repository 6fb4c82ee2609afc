export * from './envelope.js';
export * from './master-key.js';
export * from './key-wrap.js';
export * from './key-store.port.js';
export * from './personal-data-cipher.js';
export * from './sqlite/sqlite-key-store.js';
export * from './postgres/postgres-key-store.js';
