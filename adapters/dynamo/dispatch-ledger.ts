import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DispatchLedger, DispatchState } from '../../core/ports';
import { conditionally } from './client';

/** A dispatch is kept a month: longer than any stream replay (24 h) or redrive window (14 days) that could repeat it. */
const RETENTION_SECONDS = 30 * 86_400;

const epoch = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/** The state an item says, for a caller whose claim did not go through. */
const stateOf = (item: Record<string, unknown> | undefined): DispatchState => {
  if (item?.status === 'sent') return { status: 'sent' };
  return { status: 'held', attempt: Number(item?.attempt ?? 0), leaseUntil: String(item?.leaseUntil ?? new Date(0).toISOString()) };
};

/** The dispatch ledger as one table: every transition is one conditional UpdateItem. */
export class DynamoDispatchLedger implements DispatchLedger {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async claim(id: string, input: { key: string; now: string; leaseMs: number }): Promise<DispatchState> {
    const result = await conditionally<{ Attributes?: Record<string, unknown> }>(
      this.db,
      new UpdateCommand({
        TableName: this.table,
        Key: { id },
        UpdateExpression:
          'SET #status = :claimed, leaseUntil = :lease, attempt = if_not_exists(attempt, :zero) + :one, dispatchKey = :key, createdAt = if_not_exists(createdAt, :now), expiresAtEpoch = :ttl',
        ConditionExpression: 'attribute_not_exists(id) OR #status = :released',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':claimed': 'claimed',
          ':released': 'released',
          ':lease': new Date(Date.parse(input.now) + input.leaseMs).toISOString(),
          ':zero': 0,
          ':one': 1,
          ':key': input.key,
          ':now': input.now,
          ':ttl': epoch(input.now) + RETENTION_SECONDS,
        },
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return result.ok ? { status: 'claimed', attempt: Number(result.out.Attributes?.attempt ?? 1) } : stateOf(result.old);
  }

  async takeOver(id: string, input: { attempt: number; now: string; leaseMs: number }): Promise<DispatchState> {
    const result = await conditionally(
      this.db,
      new UpdateCommand({
        TableName: this.table,
        Key: { id },
        UpdateExpression: 'SET leaseUntil = :lease, attempt = :next',
        // Only the attempt that was seen holding it, and only once its lease is over: two late attempts cannot both act.
        ConditionExpression: '#status = :claimed AND attempt = :attempt AND leaseUntil <= :now',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':claimed': 'claimed',
          ':attempt': input.attempt,
          ':next': input.attempt + 1,
          ':now': input.now,
          ':lease': new Date(Date.parse(input.now) + input.leaseMs).toISOString(),
        },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return result.ok ? { status: 'claimed', attempt: input.attempt + 1 } : stateOf(result.old);
  }

  async markSent(id: string, input: { at: string; messageId?: string | undefined }): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { id },
        UpdateExpression: `SET #status = :sent, sentAt = if_not_exists(sentAt, :at), expiresAtEpoch = if_not_exists(expiresAtEpoch, :ttl)${input.messageId ? ', messageId = if_not_exists(messageId, :mid)' : ''}`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':sent': 'sent',
          ':at': input.at,
          ':ttl': epoch(input.at) + RETENTION_SECONDS,
          ...(input.messageId ? { ':mid': input.messageId } : {}),
        },
      }),
    );
  }

  async confirm(id: string, input: { at: string }): Promise<void> {
    await conditionally(
      this.db,
      new UpdateCommand({
        TableName: this.table,
        Key: { id },
        UpdateExpression: 'SET #status = :sent, sentAt = if_not_exists(sentAt, :at)',
        ConditionExpression: '#status = :claimed',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':sent': 'sent', ':claimed': 'claimed', ':at': input.at },
      }),
    );
  }

  async release(id: string, attempt: number): Promise<void> {
    await conditionally(
      this.db,
      new UpdateCommand({
        TableName: this.table,
        Key: { id },
        UpdateExpression: 'SET #status = :released',
        ConditionExpression: '#status = :claimed AND attempt = :attempt',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':released': 'released', ':claimed': 'claimed', ':attempt': attempt },
      }),
    );
  }

  async recordFeedback(id: string, input: { at: string; kind: 'bounce' | 'complaint' | 'delivery' | 'reject'; detail?: string | undefined }): Promise<void> {
    // Feedback for a dispatch this ledger no longer holds (expired) has nothing to attach to: the failed condition is fine.
    await conditionally(
      this.db,
      new UpdateCommand({
        TableName: this.table,
        Key: { id },
        UpdateExpression: 'SET #at = if_not_exists(#at, :at), #detail = if_not_exists(#detail, :detail)',
        ConditionExpression: 'attribute_exists(id)',
        ExpressionAttributeNames: { '#at': `${input.kind}At`, '#detail': `${input.kind}Detail` },
        ExpressionAttributeValues: { ':at': input.at, ':detail': input.detail ?? null },
      }),
    );
  }
}
