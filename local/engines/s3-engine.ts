/**
 * The S3 engine, as a process of its own (started and supervised by
 * local/engines/supervisor.ts): `@20minutes/s3rver` 4, with the few places
 * where it is not S3 made S3 at load, loudly if s3rver changes:
 *
 * - S3 with Block Public Access refuses unsigned requests; s3rver serves them.
 * - Query strings are canonicalized with `encodeURIComponent`; S3 uses RFC 3986,
 *   which also encodes ' ( ) * !, as in RFC 6266's `filename*=UTF-8''…`.
 * - A path-style bucket request `/bucket/` (ListObjectsV2) loses its slash.
 * - CompleteMultipartUpload reads whatever part files exist: a part never
 *   uploaded crashed the process, a wrong ETag was accepted. S3 answers
 *   InvalidPart / InvalidPartOrder / EntityTooSmall / NoSuchUpload.
 *
 * Usage: node --import tsx local/engines/s3-engine.ts <dir> <port>. The runtime
 * creates its bucket and sets its CORS (local/provision.ts), as the stack does in AWS.
 * Prints one JSON line `{"port":n}` once it listens on 127.0.0.1.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

const SOURCE_FIXES: [string, string][] = [
  // Block Public Access: no signature, no access (CORS preflights are answered before this check, as S3 does).
  ['if (mechanismCount === 0) {\n      return next();\n    }', "if (mechanismCount === 0) {\n      throw new S3Error('AccessDenied', 'Access Denied');\n    }"],
  ['[param, value].map(encodeURIComponent).join', '[param, value].map(encodeURIComponentRFC3986).join'],
  [
    "canonicalizedResource += '/' + ctx.params.key;\n      }",
    "canonicalizedResource += '/' + ctx.params.key;\n      } else if (!ctx.state.vhost && ctx.path.endsWith('/')) {\n        canonicalizedResource += '/';\n      }",
  ],
];

const patchAuthentication = () => {
  const target = require.resolve('@20minutes/s3rver/lib/middleware/authentication.js');
  const proto = Module.prototype as unknown as { _compile(content: string, filename: string): unknown };
  const compile = proto._compile;
  proto._compile = function (this: unknown, content: string, filename: string) {
    if (filename !== target) return compile.call(this, content, filename);
    let fixed = content;
    for (const [from, to] of SOURCE_FIXES) {
      if (!fixed.includes(from)) throw new Error('s3rver changed: review the fixes in local/engines/s3-engine.ts');
      fixed = fixed.replace(from, to);
    }
    return compile.call(this, fixed, filename);
  };
};

const MIN_PART_BYTES = 5 * 1024 * 1024;

const md5Of = (file: string): Promise<string> =>
  new Promise((resolve, reject) => {
    const hash = createHash('md5');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')))
      .on('error', reject);
  });

/** What S3 checks before it assembles a multipart upload. */
const patchMultipartCompletion = () => {
  const { default: FilesystemStore } = { default: require('@20minutes/s3rver/lib/stores/filesystem.js') } as {
    default: { prototype: Record<string, unknown> };
  };
  const S3Error = require('@20minutes/s3rver/lib/models/error.js') as new (code: string, message?: string, detail?: object) => Error;
  const original = FilesystemStore.prototype.putObjectMultipart as (
    this: unknown,
    bucket: string,
    uploadId: string,
    parts: { number: number; etag: string }[],
  ) => Promise<unknown>;
  if (typeof original !== 'function') throw new Error('s3rver changed: FilesystemStore#putObjectMultipart is gone');
  FilesystemStore.prototype.putObjectMultipart = async function (
    this: { getResourcePath(b: string, k: undefined, r: string): string },
    bucket: string,
    uploadId: string,
    parts: { number: number; etag: string }[],
  ) {
    const uploadDir = join(this.getResourcePath(bucket, undefined, 'uploads'), uploadId);
    if (!/^[0-9a-f]+$/.test(uploadId) || !existsSync(join(uploadDir, 'key'))) {
      throw new S3Error('NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.');
    }
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] as { number: number; etag: string };
      if (i > 0 && part.number <= (parts[i - 1] as { number: number }).number)
        throw new S3Error('InvalidPartOrder', 'The list of parts was not in ascending order.');
      const file = join(uploadDir, String(part.number));
      if (!Number.isInteger(part.number) || !existsSync(file)) {
        throw new S3Error('InvalidPart', 'One or more of the specified parts could not be found. The part might not have been uploaded.');
      }
      if ((await md5Of(file)) !== part.etag.replace(/"/g, '')) {
        throw new S3Error('InvalidPart', "One or more of the specified parts could not be found, or its entity tag did not match the part's.");
      }
      if (i < parts.length - 1 && statSync(file).size < MIN_PART_BYTES) {
        throw new S3Error('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed object size.');
      }
    }
    return original.call(this, bucket, uploadId, parts);
  };
};

const [dir, portArg] = process.argv.slice(2);
if (!dir || !portArg) {
  console.error('usage: s3-engine.ts <dir> <port>');
  process.exit(2);
}
mkdirSync(dir, { recursive: true });
patchAuthentication();
patchMultipartCompletion();
const S3rver = require('@20minutes/s3rver') as new (options: object) => { run(): Promise<{ port: number }>; close(): Promise<void> };
const server = new S3rver({ address: '127.0.0.1', port: Number(portArg), silent: true, directory: dir });
const address = await server.run();
process.stdout.write(
  `${JSON.stringify({ port: address.port, version: JSON.parse(readFileSync(require.resolve('@20minutes/s3rver/package.json'), 'utf8')).version })}\n`,
);
const stop = () => void server.close().finally(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
