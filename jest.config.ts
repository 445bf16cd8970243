import type { Config } from 'jest';

const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/machines', '<rootDir>/src', '<rootDir>/scripts'],
  testMatch: ['**/*.test.ts'],
  // The interop tests need ../shared/tools (the independent peers): `npm run test:interop` selects them instead.
  testPathIgnorePatterns: ['/node_modules/', '\\.interop\\.test\\.ts$'],
  transform: {
    // Type checking is done once by `npm run typecheck`; here we only transpile.
    '^.+\\.ts$': 'ts-jest',
  },
  testTimeout: 60_000,
};

export default config;
