import { type CancellationReason, ConditionalCheckFailedException, DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, type PutCommand, type UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { chunk, inBatches } from '../../core/concurrency';

export const createDocumentClient = (options: { region: string; endpoint?: string | undefined }) =>
  DynamoDBDocumentClient.from(new DynamoDBClient({ region: options.region, endpoint: options.endpoint }), {
    marshallOptions: { removeUndefinedValues: true },
  });

export const isConditionFailure = (error: unknown): error is ConditionalCheckFailedException =>
  error instanceof ConditionalCheckFailedException || (error as { name?: string })?.name === 'ConditionalCheckFailedException';

/** Why a transaction was cancelled, item by item (`Code`: `ConditionalCheckFailed`, `TransactionConflict`, `None`…); undefined for any other error. */
export const cancellationReasons = (error: unknown): CancellationReason[] | undefined =>
  error instanceof TransactionCanceledException || (error as { name?: string } | undefined)?.name === 'TransactionCanceledException'
    ? ((error as TransactionCanceledException).CancellationReasons ?? [])
    : undefined;

export type ConditionalOutcome<O> = { ok: true; out: O } | { ok: false; old: Record<string, unknown> | undefined };

/**
 * A conditional write whose failed condition is an answer, not an error: the
 * item as it was comes back (when the command asks for it with
 * `ReturnValuesOnConditionCheckFailure: 'ALL_OLD'`), so the caller can say why.
 */
export const conditionally = async <O>(db: DynamoDBDocumentClient, command: UpdateCommand | PutCommand): Promise<ConditionalOutcome<O>> => {
  try {
    return { ok: true, out: (await db.send(command as UpdateCommand)) as O };
  } catch (error) {
    // The returned item is raw AttributeValues: the document client does not unmarshall errors.
    if (isConditionFailure(error)) return { ok: false, old: error.Item ? unmarshall(error.Item) : undefined };
    throw error;
  }
};

/** BatchGetItem in chunks of 100, retrying unprocessed keys with backoff. */
export const batchGet = async (db: DynamoDBDocumentClient, table: string, keyName: string, ids: string[]): Promise<Record<string, unknown>[]> => {
  const unique = [...new Set(ids)];
  const results: Record<string, unknown>[] = [];
  // Chunks in parallel, four at a time: a 1,000-line invoice is 10 round trips, not 10 in a row.
  await inBatches(chunk(unique, 100), 4, async (ids100) => {
    let keys: Record<string, unknown>[] = ids100.map((id) => ({ [keyName]: id }));
    for (let attempt = 0; keys.length > 0; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt)));
      const out = await db.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: keys } } }));
      results.push(...((out.Responses?.[table] ?? []) as Record<string, unknown>[]));
      keys = (out.UnprocessedKeys?.[table]?.Keys ?? []) as Record<string, unknown>[];
      if (attempt > 8 && keys.length > 0) throw new Error('BatchGetItem kept returning unprocessed keys');
    }
  });
  return results;
};
