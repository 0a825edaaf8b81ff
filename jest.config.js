/**
 * Two projects: `unit` (pure, milliseconds, beside the code) and `integration` (real PostgreSQL,
 * Redis and Kafka; *.int.test.ts under each package's test/). TypeScript is transformed by swc;
 * the type check is a separate step (npm run typecheck). Workspace packages resolve to their
 * sources so tests never need a prior build.
 */
const swc = [
  '@swc/jest',
  { jsc: { target: 'es2023', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } },
];
const shared = {
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: {
    '^@ordersystem/contracts/(.*)$': '<rootDir>/packages/contracts/src/gen/$1_pb.ts',
    '^@ordersystem/platform/errors$': '<rootDir>/packages/platform/src/errors/app-error.ts',
    '^@ordersystem/(platform|testing|dev-sinks)$': '<rootDir>/packages/$1/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};

module.exports = {
  // Integration tests start real processes on a shared 2-core machine; e2e files raise this further.
  testTimeout: 60_000,
  // Once every test has run, exit even if a leaked socket or timer still holds the event loop, so
  // a leak cannot hang CI until its time limit. This neither fails the run nor names the leak (the
  // "Force exiting Jest" line is printed on every run); to find one, run the file alone with
  // --detectOpenHandles, too slow to leave on. Service processes that integration tests spawn are
  // killed by @ordersystem/testing when its worker exits, so they never outlive the run.
  forceExit: true,
  reporters: ['default', '<rootDir>/scripts/jest-summary-reporter.js'],
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{packages,services}/*/src/**/*.test.ts'] },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/{packages,services}/*/test/**/*.int.test.ts'],
      globalSetup: '<rootDir>/packages/testing/src/global-setup.ts',
      globalTeardown: '<rootDir>/packages/testing/src/global-teardown.ts',
    },
    {
      // The whole system as separate processes, driven only through the gateway's public HTTP API;
      // with e2e/chaos (several replicas, processes killed) and the dashboards against a real Prometheus.
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/e2e/**/*.e2e.test.ts'],
      globalSetup: '<rootDir>/packages/testing/src/global-setup.ts',
      globalTeardown: '<rootDir>/packages/testing/src/global-teardown.ts',
    },
  ],
};
