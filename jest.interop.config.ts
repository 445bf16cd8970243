import type { Config } from 'jest';
import base from './jest.config';

/** `npm run test:interop`: the tests that talk to the independent peers in ../shared/tools. */
const config: Config = {
  ...base,
  testMatch: ['**/*.interop.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  globalSetup: '<rootDir>/src/test-support/interop-setup.ts',
};

export default config;
