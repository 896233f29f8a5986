import { DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { Uint8ArrayBlobAdapter } from '@smithy/core/serde';
import { DeleteMessageCommand, GetQueueUrlCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { asStreamRecord, queueRoleOf, redrive } from '../../scripts/redrive';

const sqs = mockClient(SQSClient);
const lambda = mockClient(LambdaClient);
const streams = mockClient(DynamoDBStreamsClient);
const clients = { sqs: new SQSClient({}), lambda: new LambdaClient({}), streams: new DynamoDBStreamsClient({}) };

/** A Lambda response payload (the SDK's blob type; its methods are not used by the script). */
const payload = (value: unknown) => Buffer.from(JSON.stringify(value)) as unknown as Uint8ArrayBlobAdapter;

beforeEach(() => {
  sqs.reset();
  lambda.reset();
  streams.reset();
  sqs.on(GetQueueUrlCommand).callsFake((input: { QueueName: string }) => ({ QueueUrl: `https://sqs.test/1/${input.QueueName}` }));
});

describe('queueRoleOf', () => {
  it('tells the kind of a dead-letter queue and the function behind it from its name', () => {
    expect(queueRoleOf('DigitalDownloadsData-payment-events-dlq')).toEqual({ kind: 'events', fn: 'payment-events' });
    expect(queueRoleOf('DigitalDownloadsData-invoice-outbox-parked')).toEqual({ kind: 'parked-changes', fn: 'invoice-outbox' });
    expect(queueRoleOf('DigitalDownloadsData-link-log-stream-failures')).toEqual({ kind: 'stream-failures', fn: 'link-log' });
    expect(queueRoleOf('Shop2-link-log-parked', 'Shop2')).toEqual({ kind: 'parked-changes', fn: 'link-log' });
  });

  it('refuses a work queue and a queue of another stack', () => {
    expect(() => queueRoleOf('DigitalDownloadsData-payment-events')).toThrow(/work queue/);
    expect(() => queueRoleOf('Other-payment-events-dlq')).toThrow(/not a queue of the DigitalDownloadsData stack/);
  });
});

describe('redrive', () => {
  it('sends failed events back to the work queue and deletes them, and leaves the ones the handler parked with their reason', async () => {
    // Prepare
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({
        Messages: [
          { MessageId: 'm1', ReceiptHandle: 'h1', Body: '{"detail-type":"PaymentSucceeded"}' },
          { MessageId: 'm2', ReceiptHandle: 'h2', Body: '{"detail":{}}', MessageAttributes: { reason: { DataType: 'String', StringValue: 'no invoiceId' } } },
        ],
      })
      .resolves({ Messages: [] });

    // Act
    const report = await redrive(clients, { queue: 'DigitalDownloadsData-payment-events-dlq' });

    // Assess
    expect(report).toEqual({ kind: 'events', redriven: 1, left: [{ messageId: 'm2', why: 'parked by the handler: no invoiceId' }] });
    expect(sqs.commandCalls(SendMessageCommand).map((c) => c.args[0].input)).toEqual([
      { QueueUrl: 'https://sqs.test/1/DigitalDownloadsData-payment-events', MessageBody: '{"detail-type":"PaymentSucceeded"}' },
    ]);
    expect(sqs.commandCalls(DeleteMessageCommand).map((c) => c.args[0].input.ReceiptHandle)).toEqual(['h1']);
  });

  it('a dry run sends and deletes nothing', async () => {
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [{ MessageId: 'm1', ReceiptHandle: 'h1', Body: '{}' }] })
      .resolves({ Messages: [] });

    const report = await redrive(clients, { queue: 'DigitalDownloadsData-delivery-email-dlq', dryRun: true });

    expect(report.redriven).toBe(1);
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(0);
    expect(sqs.commandCalls(DeleteMessageCommand)).toHaveLength(0);
  });

  it('hands a parked change to its consumer as the stream record it was, and deletes it once the consumer took it', async () => {
    // Prepare
    const change = {
      consumer: 'invoice-outbox',
      eventSourceARN: 'arn:aws:dynamodb:eu-west-1:1:table/t/stream/x',
      eventName: 'MODIFY',
      sequenceNumber: '42',
      keys: { invoiceId: 'inv-1' },
      oldImage: { invoiceId: 'inv-1', generation: 1 },
      newImage: { invoiceId: 'inv-1', generation: 2 },
    };
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [{ MessageId: 'p1', ReceiptHandle: 'h1', Body: JSON.stringify(change) }] })
      .resolves({ Messages: [] });
    lambda.on(InvokeCommand).resolves({ Payload: payload({ batchItemFailures: [] }) });

    // Act
    const report = await redrive(clients, { queue: 'DigitalDownloadsData-invoice-outbox-parked' });

    // Assess
    const invoked = lambda.commandCalls(InvokeCommand)[0]?.args[0].input;
    expect(invoked?.FunctionName).toBe('DigitalDownloadsApi-invoice-outbox');
    expect(JSON.parse(Buffer.from(invoked?.Payload as Uint8Array).toString())).toEqual({ Records: [asStreamRecord(change)] });
    expect(asStreamRecord(change).dynamodb.NewImage).toEqual({ invoiceId: { S: 'inv-1' }, generation: { N: '2' } });
    expect(report).toEqual({ kind: 'parked-changes', redriven: 1, left: [] });
    expect(sqs.commandCalls(DeleteMessageCommand)).toHaveLength(1);
  });

  it('keeps a parked change the consumer refuses again, and one that comes back in the same run', async () => {
    // Prepare
    const body = JSON.stringify({ consumer: 'link-log', eventName: 'MODIFY', sequenceNumber: '7', keys: { linkId: 'l' } });
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [{ MessageId: 'p1', ReceiptHandle: 'h1', Body: body }] })
      .resolvesOnce({ Messages: [{ MessageId: 'p2', ReceiptHandle: 'h2', Body: body }] })
      .resolvesOnce({ Messages: [{ MessageId: 'p3', ReceiptHandle: 'h3', Body: body.replace('"7"', '"8"') }] })
      .resolves({ Messages: [] });
    lambda
      .on(InvokeCommand)
      .resolvesOnce({ Payload: payload({ batchItemFailures: [] }) })
      .resolves({ FunctionError: 'Unhandled', Payload: payload({ errorMessage: 'boom' }) });

    // Act
    const report = await redrive(clients, { queue: 'DigitalDownloadsData-link-log-parked' });

    // Assess
    expect(report.redriven).toBe(1);
    expect(report.left.map((l) => [l.messageId, l.why.split(':')[0]])).toEqual([
      ['p2', 'came back during this run'],
      ['p3', 'the function failed'],
    ]);
    expect(sqs.commandCalls(DeleteMessageCommand).map((c) => c.args[0].input.ReceiptHandle)).toEqual(['h1']);
  });

  it('reads a failed stream batch again from its first to its last sequence number and hands it to the consumer', async () => {
    // Prepare
    const info = { streamArn: 'arn:aws:dynamodb:eu-west-1:1:table/t/stream/x', shardId: 'shard-1', startSequenceNumber: '100', endSequenceNumber: '200' };
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [{ MessageId: 'f1', ReceiptHandle: 'h1', Body: JSON.stringify({ DDBStreamBatchInfo: info }) }] })
      .resolves({ Messages: [] });
    streams.on(GetShardIteratorCommand).resolves({ ShardIterator: 'it-1' });
    streams.on(GetRecordsCommand).resolves({
      Records: [
        { eventID: 'a', dynamodb: { SequenceNumber: '100' } },
        { eventID: 'b', dynamodb: { SequenceNumber: '200' } },
        { eventID: 'c', dynamodb: { SequenceNumber: '201' } },
      ],
      NextShardIterator: 'it-2',
    });
    lambda.on(InvokeCommand).resolves({ Payload: payload({ batchItemFailures: [] }) });

    // Act
    const report = await redrive(clients, { queue: 'DigitalDownloadsData-link-log-stream-failures' });

    // Assess
    expect(streams.commandCalls(GetShardIteratorCommand)[0]?.args[0].input).toEqual({
      StreamArn: info.streamArn,
      ShardId: 'shard-1',
      ShardIteratorType: 'AT_SEQUENCE_NUMBER',
      SequenceNumber: '100',
    });
    const sent = JSON.parse(Buffer.from(lambda.commandCalls(InvokeCommand)[0]?.args[0].input.Payload as Uint8Array).toString());
    expect(sent.Records.map((r: { eventID: string }) => r.eventID)).toEqual(['a', 'b']);
    expect(sent.Records[0].eventSourceARN).toBe(info.streamArn);
    expect(report).toEqual({ kind: 'stream-failures', redriven: 1, left: [] });
  });

  it('leaves a stream failure whose records the stream no longer holds', async () => {
    const info = { streamArn: 's', shardId: 'x', startSequenceNumber: '1', endSequenceNumber: '2' };
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [{ MessageId: 'f1', ReceiptHandle: 'h1', Body: JSON.stringify({ DDBStreamBatchInfo: info }) }] })
      .resolves({ Messages: [] });
    streams.on(GetShardIteratorCommand).resolves({ ShardIterator: 'it' });
    streams.on(GetRecordsCommand).resolves({ Records: [] });

    const report = await redrive(clients, { queue: 'DigitalDownloadsData-link-log-stream-failures' });

    expect(report.left).toEqual([{ messageId: 'f1', why: 'the stream no longer holds these records (older than 24 hours)' }]);
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(0);
    expect(sqs.commandCalls(DeleteMessageCommand)).toHaveLength(0);
  });
});
