// One jest config, two projects: `unit` (pure, beside the code) and `integration` (real Postgres/Kafka/SNS/DNS).
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];
const moduleNameMapper = {
  '^@privatelink/(domain|contracts|eventstore|messaging|projections|platform|testing|aws-wire)$': '<rootDir>/libs/$1/src/index.ts',
};
module.exports = {
  // A backstop only: every wait inside a test is bounded itself (eventually/until), and sized for a loaded
  // 2-core machine. A test that hits this has hung; it does not measure speed.
  testTimeout: 300000,
  projects: [
    {
      displayName: 'unit',
      rootDir: __dirname,
      testEnvironment: 'node',
      transform: { '^.+\\.ts$': swc },
      moduleNameMapper,
      testMatch: ['<rootDir>/apps/*/src/**/*.spec.ts', '<rootDir>/libs/*/src/**/*.spec.ts'],
    },
    {
      displayName: 'integration',
      rootDir: __dirname,
      testEnvironment: 'node',
      transform: { '^.+\\.ts$': swc },
      moduleNameMapper,
      testMatch: ['<rootDir>/apps/*/test/**/*.spec.ts', '<rootDir>/libs/*/test/**/*.spec.ts'],
    },
  ],
};
