import { Aws } from 'aws-cdk-lib';
import type { TableName } from '../adapters/dynamo/tables';
import type { FunctionName } from '../functions/manifest';

/** The two stacks of a deployment. */
export const STACK_NAMES = { data: 'DigitalDownloadsData', api: 'DigitalDownloadsApi' } as const;

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/**
 * The physical names of everything the stateless stack uses from the data
 * stack, derived from the stack names. Both stacks build from this, so:
 *
 * - the data stack's resources have fixed names, and CloudFormation refuses
 *   any change that would replace a named resource (a new key schema, a moved
 *   construct) instead of quietly creating an empty twin;
 * - the API stack names them literally instead of reading `Fn::GetStackOutput`
 *   (which is resolved only when the reading stack updates, and the CLI skips
 *   unchanged stacks): a renamed resource changes the API stack's template, so
 *   `cdk deploy --all` updates it in the same run.
 *
 * Names are per account and Region (tables, queues, secrets, topics, rules are
 * regional; the bucket name carries both), so the same app deploys to a second
 * Region without a clash.
 */
export class ResourceNames {
  constructor(
    readonly dataStack: string = STACK_NAMES.data,
    readonly apiStack: string = STACK_NAMES.api,
  ) {}

  table(name: TableName): string {
    return `${this.dataStack}-${kebab(name)}`;
  }

  /** Bucket names are global: the account and Region make it this deployment's (≤ 63 characters for stack names up to 29). */
  get filesBucket(): string {
    return `${this.dataStack.toLowerCase()}-files-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
  }

  get signingKeySecret(): string {
    return `${this.dataStack}/link-signing-key`;
  }

  /** A function's name (regional, like the stack), so that operators and `npm run redrive` can address it. */
  function(fn: FunctionName): string {
    return `${this.apiStack}-${fn}`;
  }

  get licenseKeySecret(): string {
    return `${this.dataStack}/license-certificate-keys`;
  }

  /** The queue an event-driven function consumes (its EventBridge rules target it). */
  workQueue(fn: FunctionName): string {
    return `${this.dataStack}-${fn}`;
  }

  /** Dead letters of an event-driven function: the events themselves (EventBridge's, SQS's and the handler's parking). */
  deadLetterQueue(fn: FunctionName): string {
    return `${this.dataStack}-${fn}-dlq`;
  }

  /** A stream consumer's parked changes (keys, old and new images, with the reason), written by its handler. */
  parkedChanges(fn: FunctionName): string {
    return `${this.dataStack}-${fn}-parked`;
  }

  /** A stream consumer's event source mapping failures: shard and sequence numbers only. */
  streamFailures(fn: FunctionName): string {
    return `${this.dataStack}-${fn}-stream-failures`;
  }

  get alarmTopic(): string {
    return `${this.dataStack}-alarms`;
  }

  /** EventBridge rule names (regional, per bus): the data stack's queue policies allow exactly these rules. */
  eventRule(ruleId: string): string {
    return `${this.apiStack}-${ruleId}`;
  }
}
