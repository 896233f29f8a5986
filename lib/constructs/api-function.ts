import { fileURLToPath } from 'node:url';
import * as path from 'node:path';
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { STAMPED_AREA } from '../../core/stamp';
import { TABLE_ENV, TABLES, type TableDefinition, type TableName } from '../../adapters/dynamo/tables';
import { handlerEntry, type FunctionName } from '../../functions/manifest';

/** The repository root: handler entries and the lock file are resolved against it. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** See lib/bundling/env-credentials.ts: Lambda's credentials come from its environment. */
export const ENV_CREDENTIALS_SHIM = path.join(REPO_ROOT, 'lib/bundling/env-credentials.ts');

/**
 * The DynamoDB actions a function may take on a table, named exactly (the
 * permissions test proves each one is used): item actions on the table,
 * `Query` on the table's key, `Query:<index>` on one of its indexes.
 */
export type TableAction =
  | 'GetItem'
  | 'BatchGetItem'
  | 'PutItem'
  | 'UpdateItem'
  | 'DeleteItem'
  | 'BatchWriteItem'
  | 'ConditionCheckItem'
  | 'Scan'
  | 'Query'
  | `Query:${string}`;
export type TableAccess = readonly TableAction[];

/**
 * The ways a function may use the files bucket (no function deletes a shop's files):
 * - `presign-get`: s3:GetObject on objects, what a presigned download needs.
 * - `manage`: s3:GetObject and s3:PutObject on objects (single and multipart
 *   uploads, imports' HEAD), s3:ListBucket on the bucket (the object picker;
 *   it also makes a missing key a 404, not a 403). Abandoned multipart uploads
 *   are aborted by the bucket's lifecycle rule, not by a function.
 * - `stamp`: reads any object, writes and deletes under `stamped/` only.
 * - `sweep-copies`: deletes under `stamped/` only (the copies of expired links).
 */
export type FilesAccess = 'presign-get' | 'manage' | 'stamp' | 'sweep-copies';

/** How long a function may run: a caller waits on HTTP functions; queue and stream consumers work in batches. */
export const FUNCTION_TIMEOUTS = { http: Duration.seconds(10), async: Duration.seconds(30) } as const;

/** The Node.js major the functions run on and esbuild targets; tests load the bundles on it (see test/infra/bundles.test.ts). */
export const NODE_MAJOR = 24;

/** A value as cdk-nag prints it in a finding's id: tokens of pseudo parameters and resources become `<AWS::X>` and `<Id.Attr>`. */
const asNagShowsIt = (stack: Stack, value: string): string => {
  const part = (p: unknown): string => {
    if (typeof p === 'string') return p;
    const ref = (p as { Ref?: string }).Ref;
    if (ref) return `<${ref}>`;
    const att = (p as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
    if (att) return `<${att[0]}.${att[1]}>`;
    throw new Error(`cannot show ${JSON.stringify(p)} as cdk-nag does`);
  };
  const resolved = stack.resolve(value) as unknown;
  const join = (resolved as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  return join ? join[1].map(part).join(join[0]) : part(resolved);
};

export interface ApiFunctionProps {
  /** The catalog name: the code is `functions/<name>/handler.ts`, export `handler`. */
  readonly name: FunctionName;
  /** The deployed function's name (ResourceNames.function). */
  readonly functionName: string;
  /** Variables every function of the app gets (resource names, public URL, ...). */
  readonly environment: Record<string, string>;
  /** @default 512 */
  readonly memorySize?: number;
  /** @default FUNCTION_TIMEOUTS.http */
  readonly timeout?: Duration;
  /** @default one month */
  readonly logRetention?: logs.RetentionDays;
  /** Concurrency set aside for (and capping) this function. @default none: it shares the account's unreserved pool */
  readonly reservedConcurrentExecutions?: number;
}

/**
 * One Lambda function of the app, always built the same way: Node.js 24 on
 * arm64 (Node 22 leaves Lambda's support in April 2027), an ESM bundle for
 * node24 with the AWS SDK inside (versions pinned by the lock file, not by the
 * runtime), source maps, X-Ray, its own log group with a retention, and a role
 * that holds nothing until a `bind`/`grant` call adds exactly what the handler
 * uses, in its own inline policy (never a policy attached from another stack).
 */
export class ApiFunction extends Construct {
  readonly name: FunctionName;
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ApiFunctionProps) {
    super(scope, id);
    this.name = props.name;

    // Logs kept after a stack deletion until their retention ends: they are the trail of what happened.
    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH });

    // Not AWSLambdaBasicExecutionRole: that one may create and write any log group of the account.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `digital-downloads ${props.name} function`,
    });
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [this.logGroup.logGroupArn] }));

    this.function = new NodejsFunction(this, 'Function', {
      functionName: props.functionName,
      description: `digital-downloads ${props.name}`,
      entry: path.join(REPO_ROOT, handlerEntry(props.name)),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? FUNCTION_TIMEOUTS.http,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      tracing: lambda.Tracing.ACTIVE,
      role: this.role,
      logGroup: this.logGroup,
      environment: {
        ...props.environment,
        // Source maps cost ~60 ms of cold start when Node parses them at import; the hot path goes without.
        ...(props.name === 'download' ? {} : { NODE_OPTIONS: '--enable-source-maps' }),
        POWERTOOLS_SERVICE_NAME: 'digital-downloads',
        POWERTOOLS_METRICS_NAMESPACE: 'DigitalDownloads',
      },
      bundling: {
        format: OutputFormat.ESM,
        target: `node${NODE_MAJOR}`,
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        mainFields: ['module', 'main'],
        esbuildArgs: { '--alias:@aws-sdk/credential-provider-node': ENV_CREDENTIALS_SHIM },
        // Some CommonJS dependencies call require(); ESM bundles have none.
        banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
        // Bundle the SDK v3 too: the lock file, not the runtime, decides its version.
        externalModules: [],
        forceDockerBundling: false,
      },
    });

    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only actions without resource-level permissions are granted on "*": X-Ray trace writes (tracing is active) and, for stream consumers, dynamodb:ListStreams (added by the DynamoDB event source). Every other statement names its table, index, queue, secret, bus or log group.',
    });
  }

  /** Grants exactly `access` on the table (and the indexes it queries) and sets the env var that names it. */
  bindTable(name: TableName, table: dynamodb.ITable, access: TableAccess): this {
    const definition: TableDefinition = TABLES[name];
    const onTable = access.filter((a) => !a.startsWith('Query:')).map((a) => `dynamodb:${a}`);
    if (onTable.length > 0) this.allow(onTable, [table.tableArn]);
    const indexes = access.filter((a) => a.startsWith('Query:')).map((a) => a.slice('Query:'.length));
    for (const index of indexes) if (!definition.indexes?.[index as never]) throw new Error(`${name} has no index ${index} (adapters/dynamo/tables.ts)`);
    if (indexes.length > 0)
      this.allow(
        ['dynamodb:Query'],
        indexes.map((index) => `${table.tableArn}/index/${index}`),
      );
    this.function.addEnvironment(TABLE_ENV[name], table.tableName);
    return this;
  }

  /**
   * Grants `access` to the files bucket. Object actions need `bucket/*`: files
   * live under generated keys anywhere in the one bucket (an import may
   * register any existing key); only the stamper and the copy sweeper delete, and only stamped copies.
   */
  grantFiles(bucket: s3.IBucket, access: FilesAccess): this {
    const copies = bucket.arnForObjects(`${STAMPED_AREA}*`);
    const copiesOnly = () =>
      Validations.of(this.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${asNagShowsIt(Stack.of(this), copies)}]`,
        reason: "Each link's stamped copy has its own generated key under stamped/; the stamper writes and deletes there only, the sweeper deletes there only.",
      });
    if (access === 'sweep-copies') {
      copiesOnly();
      return this.allow(['s3:DeleteObject'], [copies]);
    }
    const objects = bucket.arnForObjects('*');
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${asNagShowsIt(Stack.of(this), objects)}]`,
      reason:
        'Files are stored under generated keys anywhere in this one bucket (an import may register any existing key), so object actions apply to all its objects. No access level allows deleting.',
    });
    if (access === 'presign-get') return this.allow(['s3:GetObject'], [objects]);
    // The stamper reads originals anywhere, and writes and deletes its copies only: never a shop's file.
    if (access === 'stamp') {
      copiesOnly();
      this.allow(['s3:GetObject'], [objects]);
      return this.allow(['s3:PutObject', 's3:DeleteObject'], [copies]);
    }
    this.allow(['s3:GetObject', 's3:PutObject'], [objects]);
    return this.allow(['s3:ListBucket'], [bucket.bucketArn]);
  }

  /** Adds one statement to the function's role. */
  allow(actions: string[], resources: string[]): this {
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources }));
    return this;
  }

  /** Sets one environment variable of the function. */
  env(name: string, value: string): this {
    this.function.addEnvironment(name, value);
    return this;
  }
}
