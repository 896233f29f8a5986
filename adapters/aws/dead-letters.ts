import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DeadLetters } from '../../core/ports';

/** SQS takes 256 KiB a message (EventBridge events are at most 256 KB): a larger payload keeps its head and its reason. */
const MAX_BODY = 250_000;

/**
 * Parks inputs that can never succeed in a dead-letter queue. The body is the
 * input itself (the event, or the stream change), exactly what the queue's
 * redrive hands back to its consumer; why it was parked rides in message
 * attributes, as SQS puts nothing of its own there.
 */
export class SqsDeadLetters implements DeadLetters {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async park(input: { source: string; reason: string; payload: unknown }) {
    const text = typeof input.payload === 'string' ? input.payload : JSON.stringify(input.payload);
    const truncated = text.length > MAX_BODY;
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: truncated ? text.slice(0, MAX_BODY) : text,
        MessageAttributes: {
          reason: { DataType: 'String', StringValue: input.reason.slice(0, 1000) || 'unspecified' },
          source: { DataType: 'String', StringValue: input.source },
          ...(truncated ? { truncated: { DataType: 'String', StringValue: 'true' } } : {}),
        },
      }),
    );
  }
}
