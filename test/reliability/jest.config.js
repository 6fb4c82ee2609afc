// The reliability suite (`npm run test:reliability`): the root jest setup, but only the
// `*.reliability-spec.ts` files here (which `npm test` never picks up), one file at a time (the
// outage spec stops the shared PostgreSQL, and each spec loads the machine on purpose).
// With SOAK=1 (`npm run soak`), the long run instead: `*.soak-spec.ts`, never in CI.
import base from '../../jest.config.js';

/** @type {import('jest').Config} */
export default {
  ...base,
  rootDir: '../..',
  roots: ['<rootDir>/test/reliability'],
  testMatch: process.env.SOAK ? ['**/*.soak-spec.ts'] : ['**/*.reliability-spec.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: process.env.SOAK ? 24 * 3600_000 : 180_000,
  maxWorkers: 1,
};
