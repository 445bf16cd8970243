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
  // Two suites at a time: most wait on sockets, processes and timers rather than compute, so on CI's 2 cores the
  // run takes about half as long as jest's default of one worker there (452 s vs 934 s for npm test).
  maxWorkers: 2,
};

export default config;
