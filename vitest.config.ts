import { defineConfig } from 'vitest/config';

// The main process too (test.env reaches only the workers): its global setup loads the SDK for the shared engine.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** What every run shares: `npm test` here, `npm run test:unit` and `npm run mutate` (vitest.unit/mutate.config.ts). */
export const COMMON = {
  reporters: ['default', './test/support/plain-summary.ts'],
  testTimeout: 60_000,
  hookTimeout: 120_000,
  env: {
    // Node 20 here: the SDK's notice that its 2027 releases need Node 22 is noise in test output (see the README).
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    // The functions' JSON logs would interleave with the reporter; a test that reads them sets its own level.
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    // Every DynamoDB Local of a run (the shared one of test/support/shared-engines.ts, and those of restarts and
    // engine deaths): the client compiler alone and the serial collector start its JVM about a third sooner and
    // cost less CPU over a few minutes than the full JIT; no test needs its peak speed (the bench does not set this).
    DYNAMODB_LOCAL_JAVA_OPTS: '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC',
  },
};

export const UNIT_TESTS = 'test/unit/**/*.test.ts';
const INFRA_TESTS = 'test/infra/**/*.test.ts';
/** The IAM proof runs every function against the local engines: it needs the shared DynamoDB, so it runs with them. */
const IAM_PROOF = 'test/infra/permissions.test.ts';
/** A directory per run for what the files write and nobody reads after it (cloud assemblies), removed at its end. */
const TEST_TEMP = './test/support/test-temp.ts';

/** Unit files that replace a module (`vi.mock`): each gets a fresh module registry, so the mock cannot leak. */
export const MODULE_MOCKING_TESTS = [
  'test/unit/connector-deps.test.ts',
  'test/unit/flat-unmarshall-in-place.test.ts',
  'test/unit/observability.test.ts',
  'test/unit/queue.test.ts',
  'test/unit/streams.test.ts',
];

export default defineConfig({
  test: {
    ...COMMON,
    // Two cores: DynamoDB Local's JVMs, Chromium and the bundling in infra tests compete, so two files at a time.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        // The unit files share their workers' module cache (no engines, no process.env they do not restore): a
        // fresh import of the SDK and the handlers per file cost more CPU than the tests themselves.
        test: { name: 'unit', include: [UNIT_TESTS], exclude: MODULE_MOCKING_TESTS, pool: 'threads', isolate: false },
      },
      { extends: true, test: { name: 'unit (module mocks)', include: MODULE_MOCKING_TESTS, pool: 'threads' } },
      {
        extends: true,
        // The CDK files read synthesized templates and start no engine: sharing a worker's module cache spares each
        // file loading aws-cdk-lib and synthesizing the shop's app again (test/infra/build-app.ts keeps one).
        // Their cloud assemblies go in one directory per run (test/support/test-temp.ts), removed at its end.
        test: { name: 'infra', include: [INFRA_TESTS], exclude: [IAM_PROOF], pool: 'forks', isolate: false, globalSetup: [TEST_TEMP] },
      },
      {
        extends: true,
        test: {
          name: 'engines',
          include: ['test/{integration,fault,browser}/**/*.test.ts', IAM_PROOF],
          // Each file starts its own runtime (engines, ports, process.env). Files share their worker's node_modules
          // and get fresh project modules and process.env each (test/support/fresh-modules.ts).
          pool: 'forks',
          isolate: false,
          setupFiles: ['./test/support/fresh-modules.ts'],
          // One DynamoDB Local and one S3 engine for the whole run (each file's runtime keeps its own tables and bucket in them).
          globalSetup: ['./test/support/shared-engines.ts', TEST_TEMP],
        },
      },
    ],
  },
});
