import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEngines } from '../../local/engines/supervisor';

declare module 'vitest' {
  export interface ProvidedContext {
    /** One DynamoDB Local for the whole run; each test runtime keeps its own tables in it (LOCAL_TABLE_PREFIX). */
    sharedDynamodbEndpoint: string;
  }
}

/**
 * vitest's global setup for `npm test`: one DynamoDB Local, warm for every file, where each file used to start a
 * JVM of its own (~2 s of CPU and a slow first minute each, on two cores). Its full JIT: it lives for the whole run.
 * Tests that need an engine of their own (restarts, engine deaths) start the runtime as a process, which never uses it.
 */
export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'dd-shared-dynamodb-'));
  delete process.env.DYNAMODB_LOCAL_JAVA_OPTS;
  const engines = await startEngines(dir, 'unused', () => undefined, { dynamodb: true, s3: false, dynamodbInMemory: true });
  project.provide('sharedDynamodbEndpoint', (engines.dynamodb as NonNullable<typeof engines.dynamodb>).endpoint);
  return async () => {
    await engines.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
