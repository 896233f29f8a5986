import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', './test/support/plain-summary.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Each integration file starts its own runtime (engines, ports, process.env): one process per file.
    pool: 'forks',
    // One DynamoDB Local for the whole run (each file's runtime keeps its own tables in it).
    globalSetup: ['./test/support/shared-dynamodb.ts'],
    // Two cores: DynamoDB Local's JVMs and the bundling in infra tests compete, so run two files at a time.
    maxWorkers: 2,
    env: {
      // Node 20 here: the SDK's notice that its 2027 releases need Node 22 is noise in test output (see the README).
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      // The functions' JSON logs would interleave with the reporter; a test that reads them sets its own level.
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      // Each file starts its own DynamoDB Local: the client compiler alone and the serial collector start its JVM
      // about a third sooner, and no test needs its peak speed (the bench does not set this).
      DYNAMODB_LOCAL_JAVA_OPTS: '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC',
    },
  },
});
