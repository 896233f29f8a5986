import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DeadLetters } from '../../core/ports';

/** SQS holds at most 256 KiB a message; a larger payload is parked cut, with its reason intact. */
const MAX_BODY = 200_000;

/** Parks inputs that can never succeed in an SQS dead-letter queue, with the reason as a message attribute. */
export class SqsDeadLetters implements DeadLetters {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async park(input: { source: string; reason: string; payload: unknown }) {
    let body = JSON.stringify({ source: input.source, reason: input.reason, payload: input.payload });
    if (body.length > MAX_BODY) body = JSON.stringify({ source: input.source, reason: input.reason, truncatedPayload: body.slice(0, MAX_BODY) });
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: body,
        MessageAttributes: {
          reason: { DataType: 'String', StringValue: input.reason.slice(0, 1000) },
          source: { DataType: 'String', StringValue: input.source },
        },
      }),
    );
  }
}
