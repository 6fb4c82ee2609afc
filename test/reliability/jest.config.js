// The reliability suite (`npm run test:reliability`): the root jest setup, but only the
// `*.reliability-spec.ts` files here (which `npm test` never picks up), one file at a time (the
// outage spec stops the shared PostgreSQL, and each spec loads the machine on purpose).
import base from '../../jest.config.js';

/** @type {import('jest').Config} */
export default {
  ...base,
  rootDir: '../..',
  roots: ['<rootDir>/test/reliability'],
  testMatch: ['**/*.reliability-spec.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 180_000,
  maxWorkers: 1,
};
