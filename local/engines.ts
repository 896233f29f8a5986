import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';

const require = createRequire(import.meta.url);

export interface Engine {
  endpoint: string;
  stop(): Promise<void>;
}

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * DynamoDB Local (the jar that ships inside `amplify-dynamodb-simulator`), on
 * Java 17, with its files in `dir`: full API, transactions, streams.
 */
export const startDynamoDbLocal = async (dir: string): Promise<Engine> => {
  const home = join(dirname(require.resolve('amplify-dynamodb-simulator/package.json')), 'emulator');
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const java: ChildProcess = spawn(
    process.env.JAVA_BIN ?? 'java',
    [
      '-Xms64m',
      '-Xmx512m',
      '-Djava.library.path=./DynamoDBLocal_lib',
      '-jar',
      'DynamoDBLocal.jar',
      '-port',
      String(port),
      '-dbPath',
      dir,
      '-sharedDb',
      '-disableTelemetry',
    ],
    // Its own process group: Ctrl+C in a terminal must not kill the engine before the runtime stops cleanly.
    { cwd: home, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  const killOnExit = () => java.kill('SIGKILL');
  process.once('exit', killOnExit);
  let output = '';
  java.stdout?.on('data', (d) => (output = (output + d).slice(-4000)));
  java.stderr?.on('data', (d) => (output = (output + d).slice(-4000)));
  let exited = false;
  java.on('exit', () => (exited = true));
  java.on('error', (error) => {
    exited = true;
    output += `\n${error.message}`;
  });

  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  for (let attempt = 0; ; attempt++) {
    if (exited) throw new Error(`DynamoDB Local did not start (is Java 17+ installed? \`java -version\`):\n${output}`);
    try {
      await client.send(new ListTablesCommand({}));
      break;
    } catch {
      if (attempt > 150) throw new Error(`DynamoDB Local did not answer on ${endpoint}:\n${output}`);
      await sleep(100);
    }
  }
  client.destroy();
  return {
    endpoint,
    stop: () =>
      new Promise<void>((resolve) => {
        process.removeListener('exit', killOnExit);
        if (exited) return resolve();
        java.once('exit', () => resolve());
        java.kill('SIGTERM');
        setTimeout(() => java.kill('SIGKILL'), 3000).unref();
      }),
  };
};

const CORS = `<CORSConfiguration>
  <CORSRule>
    <AllowedOrigin>*</AllowedOrigin>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedMethod>HEAD</AllowedMethod>
    <AllowedHeader>*</AllowedHeader>
    <ExposeHeader>ETag</ExposeHeader>
    <MaxAgeSeconds>3000</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>`;

/**
 * Two places where s3rver 4's SigV4 check differs from S3's, fixed at load
 * (loudly, if s3rver changes) rather than weakening what we sign:
 * - query strings are canonicalized with `encodeURIComponent`, S3 uses RFC 3986,
 *   which also encodes ' ( ) * !, as in RFC 6266's `filename*=UTF-8''…`;
 * - a path-style bucket request `/bucket/` (ListObjectsV2) loses its slash.
 */
const FIXES: [string, string][] = [
  ['[param, value].map(encodeURIComponent).join', '[param, value].map(encodeURIComponentRFC3986).join'],
  [
    "canonicalizedResource += '/' + ctx.params.key;\n      }",
    "canonicalizedResource += '/' + ctx.params.key;\n      } else if (!ctx.state.vhost && ctx.path.endsWith('/')) {\n        canonicalizedResource += '/';\n      }",
  ],
];

const patchS3rverQueryEncoding = () => {
  const target = require.resolve('@20minutes/s3rver/lib/middleware/authentication.js');
  const proto = Module.prototype as unknown as { _compile(content: string, filename: string): unknown };
  const compile = proto._compile;
  if ((compile as { patched?: boolean }).patched) return;
  const patchedCompile = function (this: unknown, content: string, filename: string) {
    if (filename === target) {
      let fixed = content;
      for (const [from, to] of FIXES) {
        if (!fixed.includes(from)) throw new Error('s3rver changed: review the SigV4 fixes in local/engines.ts');
        fixed = fixed.replace(from, to);
      }
      return compile.call(this, fixed, filename);
    }
    return compile.call(this, content, filename);
  };
  proto._compile = Object.assign(patchedCompile, { patched: true });
};

/** `@20minutes/s3rver` 4.x: checks SigV4 signatures and presigned expiry, keeps objects in `dir`. */
export const startS3rver = async (dir: string, bucket: string): Promise<Engine> => {
  mkdirSync(dir, { recursive: true });
  patchS3rverQueryEncoding();
  const { default: S3rver } = (await import('@20minutes/s3rver')) as unknown as { default: new (options: object) => S3rverInstance };
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir, configureBuckets: [{ name: bucket, configs: [CORS] }] });
  const address = await server.run();
  return { endpoint: `http://127.0.0.1:${address.port}`, stop: () => server.close() };
};

interface S3rverInstance {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
}
