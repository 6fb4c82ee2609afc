// The browser tests (`npm run test:web`): the root jest setup (its globalSetup builds dist/ and the web app),
// but only the `*.e2e-spec.ts` files here, which drive Debian's chromium against the built API.
import base from '../../jest.config.js';

/** @type {import('jest').Config} */
export default {
  ...base,
  rootDir: '../..',
  roots: ['<rootDir>/test/web'],
  testMatch: ['**/*.e2e-spec.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 120_000,
  maxWorkers: 1,
};
