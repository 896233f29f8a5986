import { createHash, randomUUID } from 'node:crypto';
import type { LocalEventBus } from '../event-bus';
import type { LocalDeadLetters } from './dead-letters';
import type { LocalSecrets } from './secrets';

/**
 * The few AWS JSON APIs the functions call besides DynamoDB, S3 and SES,
 * answered locally so the functions run unchanged: EventBridge PutEvents,
 * SQS SendMessage (dead letters), Secrets Manager GetSecretValue.
 */
export interface AwsReply {
  status: number;
  body: unknown;
}

const awsError = (status: number, type: string, message: string): AwsReply => ({ status, body: { __type: type, message } });

const attribute = (attributes: unknown, name: string): string | undefined => {
  const value = (attributes as Record<string, { StringValue?: unknown }> | undefined)?.[name]?.StringValue;
  return typeof value === 'string' ? value : undefined;
};

export const answerAws = (
  service: string,
  target: string,
  body: unknown,
  deps: { bus: LocalEventBus; secrets: LocalSecrets; deadLetters: LocalDeadLetters },
): AwsReply | Promise<AwsReply> => {
  const input = (body ?? {}) as Record<string, unknown>;
  switch (`${service} ${target}`) {
    case 'events AWSEvents.PutEvents':
      try {
        return { status: 200, body: deps.bus.putEvents(input) };
      } catch (error) {
        const code = (error as { code?: string }).code;
        // Validation is the caller's fault; anything else (the journal could not be written) is ours, and retried by the SDK.
        return code === 'ValidationException'
          ? awsError(400, 'ValidationException', (error as Error).message)
          : awsError(500, 'InternalException', (error as Error).message);
      }
    case 'sqs AmazonSQS.SendMessage': {
      const messageBody = String(input.MessageBody ?? '');
      let payload: unknown = messageBody;
      try {
        payload = JSON.parse(messageBody);
      } catch {
        // kept as text
      }
      const source = attribute(input.MessageAttributes, 'source') ?? String(input.QueueUrl ?? 'unknown');
      const reason = attribute(input.MessageAttributes, 'reason') ?? 'unspecified';
      return deps.deadLetters.park({ source, reason, payload }).then(() => ({
        status: 200,
        body: { MessageId: randomUUID(), MD5OfMessageBody: createHash('md5').update(messageBody).digest('hex') },
      }));
    }
    case 'secretsmanager secretsmanager.GetSecretValue': {
      const id = String(input.SecretId ?? '');
      const value = deps.secrets.get(id);
      if (value === undefined) return awsError(400, 'ResourceNotFoundException', `Secrets Manager can't find the specified secret.`);
      return {
        status: 200,
        body: {
          ARN: `arn:aws:secretsmanager:local:000000000000:secret:${id}`,
          Name: id,
          SecretString: value,
          VersionId: randomUUID(),
          CreatedDate: Date.now() / 1000,
        },
      };
    }
    default:
      return awsError(400, 'UnknownOperationException', `${service} ${target} is not emulated locally`);
  }
};
