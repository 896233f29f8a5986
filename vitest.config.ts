import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', './test/support/plain-summary.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Each integration file starts its own runtime (engines, ports, process.env): one process per file.
    pool: 'forks',
    // Two cores: DynamoDB Local's JVMs and the bundling in infra tests compete, so run two files at a time.
    maxWorkers: 2,
  },
});
