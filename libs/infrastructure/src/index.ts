export * from './stores.js';
export * from './personal-data.js';
