/**
 * The layer rules every service follows (npm run check:layers, part of npm test). Dependencies
 * point inward: domain ← app ← rpc/db/clients/events, with main.ts the only composition root.
 * Each rule captures the service name as $1 so it only speaks about a service's own folders.
 *
 * The rules speak about production code. Tests (*.test.ts beside the code, test/ folders,
 * packages/testing) are composition roots of their own: they wire fakes from test/ into any layer,
 * so they are not followed; they only show up when production code imports them, which is an error.
 */
const SRC = '^services/([^/]+)/src/';
const TEST_FILE = '\\.test\\.ts$';
const ADAPTERS = '(db|clients|events)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment:
        'domain/ imports only its own service domain/ and @ordersystem/platform/errors: no I/O, no framework, ' +
        'no node built-ins. libphonenumber-js is a pure parsing library the customers domain relies on.',
      from: { path: `${SRC}domain/` },
      to: {
        pathNot: [
          '^services/$1/src/domain/',
          '^packages/platform/src/errors/app-error\\.ts$',
          '(^|/)node_modules/libphonenumber-js/',
        ],
      },
    },
    {
      name: 'app-uses-ports-not-adapters',
      severity: 'error',
      comment: 'app/ declares the ports it needs in app/ports.ts; adapters implement them and main.ts wires them.',
      from: { path: `${SRC}app/` },
      to: { path: '^services/$1/src/(db|clients|events|rpc)/' },
    },
    {
      name: 'app-is-transport-free',
      severity: 'error',
      comment: 'Use cases know neither proto types nor the drivers behind the ports; rpc/ maps, adapters talk.',
      from: { path: `${SRC}app/` },
      to: {
        path: [
          '^packages/contracts/',
          '(^|/)node_modules/(@connectrpc|@bufbuild|@mikro-orm|kafkajs|ioredis|pg|pg-[^/]+|kysely)/',
        ],
      },
    },
    {
      name: 'rpc-uses-ports-not-adapters',
      severity: 'error',
      comment: 'rpc/ calls use cases and ports; it never reaches into db/, clients/ or events/.',
      from: { path: `${SRC}rpc/` },
      to: { path: `^services/$1/src/${ADAPTERS}/` },
    },
    {
      name: 'adapters-own-their-mapping',
      severity: 'error',
      comment: 'db/, clients/ and events/ never import rpc/ mappers sideways: give the adapter its own mapping.',
      from: { path: `${SRC}${ADAPTERS}/` },
      to: { path: '^services/$1/src/rpc/' },
    },
    {
      name: 'no-cross-service-imports',
      severity: 'error',
      comment: "Services talk over RPC and Kafka, never through each other's code.",
      from: { path: '^services/([^/]+)/' },
      to: { path: '^services/', pathNot: '^services/$1/' },
    },
    {
      name: 'packages-do-not-import-services',
      severity: 'error',
      comment: 'Shared packages sit below the services.',
      from: { path: '^packages/' },
      to: { path: '^services/' },
    },
    {
      name: 'production-code-imports-no-tests',
      severity: 'error',
      comment: 'src/ must not depend on test/ folders or test helpers; only *.test.ts files may.',
      from: { path: '^(services|packages)/[^/]+/src/', pathNot: '^packages/testing/' },
      to: { path: ['^(services|packages)/[^/]+/test/', TEST_FILE, '^packages/testing/'] },
    },
    {
      name: 'no-dev-stand-ins-in-services',
      severity: 'error',
      comment: 'packages/dev-sinks (SMTP, Twilio and OpenID stand-ins) runs beside the services, never inside them.',
      from: { path: '^services/' },
      to: { path: '^packages/dev-sinks/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles (type-only ones included) hide which module is the lower layer.',
      from: { path: '^(services|packages)/' },
      to: { circular: true },
    },
    {
      name: 'no-circular-folders',
      severity: 'error',
      scope: 'folder',
      comment: 'Two folders of a service that import each other (e.g. http/ <-> rpc/) are one layer in disguise.',
      from: { path: `${SRC}[^/]+` },
      to: { path: `${SRC}[^/]+`, circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import the cruiser cannot resolve would slip past every rule above.',
      from: { path: '^(services|packages)/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // Generated code (packages/contracts) may be imported but is not analysed; tests: see the top.
    doNotFollow: { path: ['node_modules', '^packages/contracts/', TEST_FILE, '^(services|packages)/[^/]+/test/'] },
    exclude: { path: '^(services|packages)/[^/]+/dist/' },
    moduleSystems: ['es6', 'cjs'],
    // Type-only imports count: an app/ file importing a db/ type is still a layer breach.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.depcruise.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.d.ts', '.json'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
  },
};
