import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEngines } from '../../local/engines/supervisor';

declare module 'vitest' {
  export interface ProvidedContext {
    /** One DynamoDB Local for the whole run; each test runtime keeps its own tables in it (LOCAL_TABLE_PREFIX). */
    sharedDynamodbEndpoint: string;
    /** One S3 engine for the whole run; each test runtime keeps its own bucket in it. */
    sharedS3Endpoint: string;
    /** Where that engine keeps its buckets (a directory each), so that a runtime's stop can remove its own. */
    sharedS3Directory: string;
  }
}

/**
 * vitest's global setup for `npm test`: one DynamoDB Local and one S3 engine, warm for every file, where each file
 * used to start a JVM and an S3 engine of its own (about 3 and 1 s of CPU, on two cores). Tests that need engines
 * of their own (restarts, engine deaths, crashes) start the runtime as a process, which never uses these.
 */
export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'dd-shared-engines-'));
  // The options the files' own JVMs get (vitest.config.ts): over a run's few minutes the client compiler alone
  // costs less CPU than the full JIT's compiling (measured: 19 against 23 s for 18,000 requests).
  const javaOptions = project.config.env.DYNAMODB_LOCAL_JAVA_OPTS;
  if (typeof javaOptions === 'string') process.env.DYNAMODB_LOCAL_JAVA_OPTS = javaOptions;
  const engines = await startEngines(dir, () => undefined, { dynamodb: true, s3: true, dynamodbInMemory: true });
  const { dynamodb, s3 } = engines as { dynamodb: NonNullable<typeof engines.dynamodb>; s3: NonNullable<typeof engines.s3> };
  project.provide('sharedDynamodbEndpoint', dynamodb.endpoint);
  project.provide('sharedS3Endpoint', s3.endpoint);
  project.provide('sharedS3Directory', join(dir, 's3'));
  return async () => {
    await engines.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
