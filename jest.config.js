// Jest runs the ESM build of NestJS 12, so TypeScript is compiled to ESM (ts-jest useESM).
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
  // Browser tests (npm run test:web) and the reliability suite (npm run test:reliability) have their own runs.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/web/', '<rootDir>/test/reliability/'],
  moduleNameMapper: {
    '^#domain$': '<rootDir>/libs/domain/src/index.ts',
    '^#application$': '<rootDir>/libs/application/src/index.ts',
    '^#projections$': '<rootDir>/libs/projections/src/index.ts',
    '^#config$': '<rootDir>/libs/config/src/index.ts',
    '^#infrastructure$': '<rootDir>/libs/infrastructure/src/index.ts',
    '^#event-store$': '<rootDir>/libs/event-store/src/index.ts',
    '^#crypto$': '<rootDir>/libs/crypto/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
    // The CommonJS @nestjs/throttler require()s the ESM-only @nestjs/common and @nestjs/core: see test/support/esm-bridge.setup.ts.
    '/node_modules/@nestjs/throttler/dist/.+\\.js$': '<rootDir>/test/support/esm-bridge.transform.cjs',
  },
  transformIgnorePatterns: ['/node_modules/(?!@nestjs/throttler/)', '\\.pnp\\.[^\\/]+$'],
  setupFiles: ['<rootDir>/test/support/esm-bridge.setup.ts'],
  testTimeout: 30000,
  globalSetup: '<rootDir>/test/support/global-setup.js',
};
