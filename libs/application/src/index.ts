export * from './application-error.js';
export * from './case-event-codec.js';
export * from './case-command-executor.js';
export * from './figure-recorder.js';
export * from './audit-bundle.js';
export * from './chain-audit.js';
export * from './access-tokens.js';
