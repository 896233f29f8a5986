/**
 * `npm run redrive -- <queue> [--dry-run] [--data-stack <name>] [--api-stack <name>]`
 *
 * Puts a dead-letter queue's messages back to work, one format per queue
 * (docs/operations.md, "The queues, and one format each"):
 *
 * - `…-<function>-dlq`: events go back to the function's work queue; events
 *   the handler parked itself (a `reason` attribute: they can never succeed as
 *   they are) stay where they are, and are counted.
 * - `…-<consumer>-parked`: the change is handed to the consumer again as a
 *   stream record; it leaves the queue once the consumer took it.
 * - `…-<consumer>-stream-failures`: the batch the record names is read again
 *   from the stream (while the stream keeps it: 24 hours) and handed to the
 *   consumer.
 *
 * Every effect downstream is idempotent, so a message redriven twice (a crash
 * of this command between the hand-over and the delete) is harmless.
 */
import { DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DeleteMessageCommand, GetQueueUrlCommand, type Message, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { FunctionName } from '../functions/manifest';
import { STACK_NAMES } from '../lib/names';

export interface RedriveClients {
  sqs: Pick<SQSClient, 'send'>;
  lambda: Pick<LambdaClient, 'send'>;
  streams: Pick<DynamoDBStreamsClient, 'send'>;
}

export interface RedriveOptions {
  queue: string;
  dataStack?: string;
  apiStack?: string;
  dryRun?: boolean;
  /** How long a received message stays hidden from this run (it comes back if the run dies). */
  visibilitySeconds?: number;
}

export interface RedriveReport {
  kind: 'events' | 'parked-changes' | 'stream-failures';
  redriven: number;
  /** Left in the queue: parked by the handler (events), refused again by the consumer, or too old to re-read. */
  left: { messageId: string; why: string }[];
}

type Kind = RedriveReport['kind'];

/** What a queue holds, and who takes its messages back, from its name alone. */
export const queueRoleOf = (queue: string, dataStack: string = STACK_NAMES.data): { kind: Kind; fn: FunctionName } => {
  const prefix = `${dataStack}-`;
  if (!queue.startsWith(prefix)) throw new Error(`${queue} is not a queue of the ${dataStack} stack`);
  const rest = queue.slice(prefix.length);
  const suffixes: [string, Kind][] = [
    ['-dlq', 'events'],
    ['-parked', 'parked-changes'],
    ['-stream-failures', 'stream-failures'],
  ];
  for (const [suffix, kind] of suffixes) if (rest.endsWith(suffix)) return { kind, fn: rest.slice(0, -suffix.length) as FunctionName };
  throw new Error(`${queue} is a work queue, not a dead-letter queue: nothing to redrive`);
};

interface ParkedChange {
  consumer: string;
  eventSourceARN?: string;
  eventName?: string;
  sequenceNumber?: string;
  approximateCreationDateTime?: number;
  keys?: Record<string, unknown>;
  oldImage?: Record<string, unknown>;
  newImage?: Record<string, unknown>;
}

/** A parked change as the stream record it came from (the images marshalled back to DynamoDB JSON). */
export const asStreamRecord = (change: ParkedChange) => ({
  eventID: `redrive-${change.sequenceNumber ?? 'unknown'}`,
  eventName: change.eventName,
  eventSource: 'aws:dynamodb',
  eventSourceARN: change.eventSourceARN,
  dynamodb: {
    Keys: marshall(change.keys ?? {}),
    SequenceNumber: change.sequenceNumber,
    ...(change.approximateCreationDateTime ? { ApproximateCreationDateTime: change.approximateCreationDateTime } : {}),
    ...(change.oldImage ? { OldImage: marshall(change.oldImage, { removeUndefinedValues: true }) } : {}),
    ...(change.newImage ? { NewImage: marshall(change.newImage, { removeUndefinedValues: true }) } : {}),
  },
});

/** Invokes the consumer with a batch of stream records; resolves with why it refused, or undefined when it took them. */
const handOver = async (clients: RedriveClients, functionName: string, records: unknown[]): Promise<string | undefined> => {
  const out = await clients.lambda.send(new InvokeCommand({ FunctionName: functionName, Payload: Buffer.from(JSON.stringify({ Records: records })) }));
  const text = out.Payload ? Buffer.from(out.Payload).toString('utf8') : '';
  if (out.FunctionError) return `the function failed: ${text.slice(0, 300)}`;
  const failures = (JSON.parse(text || '{}') as { batchItemFailures?: unknown[] }).batchItemFailures ?? [];
  return failures.length > 0 ? 'the consumer reported the record failed again' : undefined;
};

/** The records a stream-failure message names (first to last sequence number), read again from the shard. */
const rereadBatch = async (clients: RedriveClients, body: string) => {
  const info = (JSON.parse(body) as { DDBStreamBatchInfo?: { streamArn: string; shardId: string; startSequenceNumber: string; endSequenceNumber: string } })
    .DDBStreamBatchInfo;
  if (!info) throw new Error('not a stream failure record (no DDBStreamBatchInfo)');
  let iterator = (
    await clients.streams.send(
      new GetShardIteratorCommand({
        StreamArn: info.streamArn,
        ShardId: info.shardId,
        ShardIteratorType: 'AT_SEQUENCE_NUMBER',
        SequenceNumber: info.startSequenceNumber,
      }),
    )
  ).ShardIterator;
  const records: { eventSourceARN?: string; dynamodb?: { SequenceNumber?: string } }[] = [];
  const last = BigInt(info.endSequenceNumber);
  while (iterator) {
    const page = await clients.streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
    for (const record of page.Records ?? []) {
      if (BigInt(record.dynamodb?.SequenceNumber ?? '0') > last) return records;
      records.push({ ...record, eventSourceARN: info.streamArn });
    }
    if ((page.Records ?? []).length === 0) break;
    iterator = page.NextShardIterator;
  }
  return records;
};

/** Redrives one queue until a receive comes back empty; see the file's comment for what each kind of queue does. */
export const redrive = async (clients: RedriveClients, options: RedriveOptions): Promise<RedriveReport> => {
  const dataStack: string = options.dataStack ?? STACK_NAMES.data;
  const apiStack = options.apiStack ?? STACK_NAMES.api;
  const { kind, fn } = queueRoleOf(options.queue, dataStack);
  const functionName = `${apiStack}-${fn}`;
  const queueUrl = (await clients.sqs.send(new GetQueueUrlCommand({ QueueName: options.queue }))).QueueUrl as string;
  const workQueueUrl =
    kind === 'events' ? ((await clients.sqs.send(new GetQueueUrlCommand({ QueueName: `${dataStack}-${fn}` }))).QueueUrl as string) : undefined;
  const report: RedriveReport = { kind, redriven: 0, left: [] };
  // A message redriven in this run that is back already (the consumer parked it again) is left for a person.
  const handedOver = new Set<string>();

  const take = async (message: Message): Promise<string | undefined> => {
    const body = message.Body ?? '';
    if (handedOver.has(body)) return 'came back during this run: it fails again';
    handedOver.add(body);
    if (kind === 'events') {
      const reason = message.MessageAttributes?.reason?.StringValue;
      if (reason) return `parked by the handler: ${reason}`;
      if (!options.dryRun) await clients.sqs.send(new SendMessageCommand({ QueueUrl: workQueueUrl, MessageBody: body }));
      return undefined;
    }
    const records = kind === 'parked-changes' ? [asStreamRecord(JSON.parse(body) as ParkedChange)] : await rereadBatch(clients, body);
    if (records.length === 0) return 'the stream no longer holds these records (older than 24 hours)';
    return options.dryRun ? undefined : handOver(clients, functionName, records);
  };

  for (;;) {
    const { Messages: messages = [] } = await clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        VisibilityTimeout: options.visibilitySeconds ?? 300,
        MessageAttributeNames: ['All'],
      }),
    );
    if (messages.length === 0) return report;
    for (const message of messages) {
      const why = await take(message).catch((error: Error) => `could not redrive: ${error.message}`);
      if (why) {
        report.left.push({ messageId: message.MessageId ?? '?', why });
        continue;
      }
      report.redriven += 1;
      if (!options.dryRun) await clients.sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
    }
  }
};

const main = async () => {
  const args = process.argv.slice(2);
  const flag = (name: string) => {
    const at = args.indexOf(name);
    return at >= 0 ? args.splice(at, 2)[1] : undefined;
  };
  const dryRun = args.includes('--dry-run');
  const dataStack = flag('--data-stack');
  const apiStack = flag('--api-stack');
  const [queue] = args.filter((a) => !a.startsWith('--'));
  if (!queue) {
    console.error('usage: npm run redrive -- <dead-letter queue name> [--dry-run] [--data-stack <name>] [--api-stack <name>]');
    process.exit(2);
  }
  const clients = { sqs: new SQSClient({}), lambda: new LambdaClient({}), streams: new DynamoDBStreamsClient({}) };
  const report = await redrive(clients, { queue, dataStack, apiStack, dryRun });
  console.log(`${dryRun ? 'would redrive' : 'redriven'}: ${report.redriven} (${report.kind}); left in the queue: ${report.left.length}`);
  for (const { messageId, why } of report.left) console.log(`  ${messageId}: ${why}`);
};

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: Error) => {
    console.error(`redrive failed: ${error.message}`);
    process.exit(1);
  });
}
