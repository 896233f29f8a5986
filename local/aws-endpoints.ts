import { createHash, randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { LocalEventBus } from './event-bus';

/**
 * The few AWS APIs the functions call besides DynamoDB and S3, answered
 * locally so the functions run unchanged: EventBridge PutEvents, SQS
 * SendMessage (dead letters), Secrets Manager GetSecretValue.
 */
export interface AwsReply {
  status: number;
  body: unknown;
  contentType?: string;
}

const awsError = (status: number, type: string, message: string): AwsReply => ({ status, body: { __type: type, message } });

/** Secrets kept in DATA_DIR/secrets.json, by name. */
export class LocalSecrets {
  constructor(private readonly file: string) {}

  all(): Record<string, string> {
    return existsSync(this.file) ? (JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, string>) : {};
  }

  get(name: string): string | undefined {
    return this.all()[name];
  }

  put(name: string, value: string) {
    writeFileSync(this.file, JSON.stringify({ ...this.all(), [name]: value }, null, 2), { mode: 0o600 });
  }
}

/** Dead letters kept in DATA_DIR/dead-letters.jsonl. */
export class LocalDeadLetters {
  constructor(private readonly file: string) {}

  async park(entry: { source: string; reason: string; payload: unknown }) {
    appendFileSync(this.file, `${JSON.stringify({ at: new Date().toISOString(), ...entry })}\n`);
  }

  list(): { at: string; source: string; reason: string; payload: unknown }[] {
    if (!existsSync(this.file)) return [];
    return readFileSync(this.file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
  }
}

export const answerAws = (
  service: string,
  target: string,
  body: unknown,
  deps: { bus: LocalEventBus; secrets: LocalSecrets; deadLetters: LocalDeadLetters },
): AwsReply => {
  const input = (body ?? {}) as Record<string, unknown>;
  switch (`${service} ${target}`) {
    case 'events AWSEvents.PutEvents':
      try {
        return { status: 200, body: deps.bus.putEvents(input) };
      } catch (error) {
        return awsError(400, 'ValidationException', (error as Error).message);
      }
    case 'sqs AmazonSQS.SendMessage': {
      const messageBody = String(input.MessageBody ?? '');
      let payload: unknown = messageBody;
      try {
        payload = JSON.parse(messageBody);
      } catch {
        // kept as text
      }
      const parked = payload as { source?: string; reason?: string; payload?: unknown };
      void deps.deadLetters.park({
        source: parked?.source ?? String(input.QueueUrl),
        reason: parked?.reason ?? 'unspecified',
        payload: parked?.payload ?? payload,
      });
      return { status: 200, body: { MessageId: randomUUID(), MD5OfMessageBody: createHash('md5').update(messageBody).digest('hex') } };
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
