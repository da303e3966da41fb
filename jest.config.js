/** Four projects, one `npm test`: unit, stack (CDK), integration (DynamoDB Local), browser. */
const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    { jsc: { parser: { syntax: 'typescript' }, target: 'es2023' }, module: { type: 'commonjs' } },
  ],
};
/** htmlparser2 and its dependencies, and jose, ship only ES modules; Jest runs CommonJS, so swc compiles them. */
const ESM_PACKAGES = [
  'htmlparser2',
  'entities',
  'domhandler',
  'domutils',
  'domelementtype',
  'dom-serializer',
  'jose',
];
const common = {
  transform: { ...transform, '^.+\\.js$': transform['^.+\\.ts$'] },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_PACKAGES.join('|')})/)`],
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
};

module.exports = {
  // Per-project testTimeout is ignored by Jest; integration and browser tests need the room.
  testTimeout: 60000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
      setupFiles: ['<rootDir>/test/support/unit-env.ts'],
      setupFilesAfterEnv: ['aws-sdk-client-mock-jest', '<rootDir>/test/support/quiet-logs.ts'],
    },
    {
      ...common,
      displayName: 'stack',
      testMatch: ['<rootDir>/test/stack/**/*.test.ts'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      setupFiles: ['<rootDir>/test/support/unit-env.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/quiet-logs.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
    {
      ...common,
      displayName: 'browser',
      testMatch: ['<rootDir>/test/browser/**/*.test.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/browser/locator-matchers.ts'],
    },
  ],
};
