// Three Jest projects; `npm test` runs all of them, once each:
//  - unit: no Kafka, no PostgreSQL (in-memory buses, local stand-ins); `npm run test:unit` alone.
//  - integration: real PostgreSQL and real Kafka (test/global-setup.ts starts the broker unless
//    KAFKA_BROKERS is given; it runs only when a test of these projects is selected).
//  - e2e: whole systems (separate services on Kafka + PostgreSQL, embedded), operations checks.
const swc = ['@swc/jest', {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
}];

/** Specs that need PostgreSQL or Kafka (or a whole embedded system) without being named *.integration.spec.ts. */
const INTEGRATION = [
  '\\.integration\\.spec\\.ts$',
  '/apps/desk/src/desk\\.(anonymity|authorization|deadlines)\\.spec\\.ts$',
  // Starts the whole embedded system (PGlite, every app's module) for its routes.
  '/apps/web-intake/src/open311/open311\\.spec\\.ts$',
  '/apps/desk/src/cli/cli\\.spec\\.ts$',
  '/libs/bus/src/kafka-bus\\.spec\\.ts$',
  '/libs/persistence/src/pglite-pool\\.spec\\.ts$',
  '/test/kafka-broker\\.spec\\.ts$',
  '/test/property/public-routes\\.property\\.spec\\.ts$',
  '/tools/bus/cli\\.spec\\.ts$',
  '/tools/routing/from-db\\.spec\\.ts$',
  // Spawns the routing CLI over the whole reference data several times (minutes on a loaded machine).
  '/tools/routing/cli\\.spec\\.ts$',
];
const E2E = ['/test/e2e/', '/test/ops/'];

const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test', '<rootDir>/tools'],
  transform: { '^.+\\.ts$': swc },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@lapor/(contracts|bus|persistence|routing|runtime|storage|calendar|deadlines|i18n)$': '<rootDir>/libs/$1/src',
    '^@lapor/(contracts|bus|persistence|routing|runtime|storage|calendar|deadlines|i18n)/(.*)$': '<rootDir>/libs/$1/src/$2',
  },
};
const peers = { globalSetup: '<rootDir>/test/global-setup.ts', globalTeardown: '<rootDir>/test/global-teardown.ts' };

module.exports = {
  testTimeout: 60000,
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['**/*.spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', ...INTEGRATION, ...E2E],
      // Any connection to PostgreSQL, Kafka or another host fails the test file.
      setupFilesAfterEnv: ['<rootDir>/test/support/unit-no-network.ts'],
    },
    { ...common, ...peers, displayName: 'integration', testRegex: INTEGRATION.map((p) => `(${p})`).join('|'), testPathIgnorePatterns: ['/node_modules/', ...E2E] },
    { ...common, ...peers, displayName: 'e2e', testRegex: E2E.map((p) => `${p}.*\\.spec\\.ts$`).join('|') },
  ],
};
