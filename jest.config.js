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
/** A project of the spec files in the `dir` folder of every app and lib. */
const project = (displayName, dir) => ({
  displayName,
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper,
  testMatch: [`<rootDir>/apps/*/${dir}/**/*.spec.ts`, `<rootDir>/libs/*/${dir}/**/*.spec.ts`],
});
module.exports = {
  // A backstop only: every wait inside a test is bounded itself (eventually/until), and sized for a loaded
  // 2-core machine. A test that hits this has hung; it does not measure speed.
  testTimeout: 300000,
  projects: [project('unit', 'src'), project('integration', 'test')],
};
