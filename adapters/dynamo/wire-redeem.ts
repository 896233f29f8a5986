import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { LinkLogEntry } from '../../core/link-log';
import type { LinkLog, LinkStore, Requester } from '../../core/ports';
import { AwsJsonClient, type AwsJsonClientOptions } from '../aws/wire';
import { REDEEM_CONDITION, REDEEM_UPDATE, toLink } from './link-items';
import { recordLogEntries } from './link-log-items';
import { unmarshallFlat } from './flat-unmarshall';

type Item = Record<string, AttributeValue>;

/** DynamoDB over the JSON protocol (awsJson1_0), for the download function only. */
export const dynamoWireClient = (options: Omit<AwsJsonClientOptions, 'service' | 'targetPrefix' | 'jsonVersion'>): AwsJsonClient =>
  new AwsJsonClient({ ...options, service: 'dynamodb', targetPrefix: 'DynamoDB_20120810', jsonVersion: '1.0' });

const ACTIVE = { S: 'active' };
const ZERO = { N: '0' };
const ONE = { N: '1' };
const NULL = { NULL: true };
const stringOrNull = (value: string | null): AttributeValue => (value === null ? NULL : { S: value });

const isConditionFailure = (error: unknown): error is { Item?: Item } => (error as { name?: string })?.name === 'ConditionalCheckFailedException';

/**
 * The download's one conditional UpdateItem, the very request
 * DynamoLinkStore.redeem sends (same expressions, same values, same return
 * values), without the SDK's request pipeline. Answers the same: the link as
 * written when served, the link as it was (ALL_OLD) when refused.
 */
export class WireLinkRedeemer implements Pick<LinkStore, 'redeem'> {
  constructor(
    private readonly db: AwsJsonClient,
    private readonly table: string,
  ) {}

  async redeem(linkId: string, customerId: string, now: string, requester: Requester) {
    let out: { Attributes?: Item };
    try {
      out = await this.db.call<{ Attributes?: Item }>('UpdateItem', {
        TableName: this.table,
        Key: { id: { S: linkId } },
        UpdateExpression: REDEEM_UPDATE,
        ConditionExpression: REDEEM_CONDITION,
        ExpressionAttributeNames: { '#status': 'status' },
        // As the document client marshalls them, written out (marshall() is ~8% of the hot path): a null is NULL.
        ExpressionAttributeValues: {
          ':customer': { S: customerId },
          ':active': ACTIVE,
          ':now': { S: now },
          ':zero': ZERO,
          ':one': ONE,
          ':ip': stringOrNull(requester.ip),
          ':ua': stringOrNull(requester.userAgent),
        },
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      });
    } catch (error) {
      if (isConditionFailure(error)) return { served: false as const, link: toLink(error.Item ? unmarshallFlat(error.Item) : undefined) };
      throw error;
    }
    const link = toLink(out.Attributes ? unmarshallFlat(out.Attributes) : undefined);
    if (!link) throw new Error('DynamoDB served a download without returning the link');
    return { served: true as const, link };
  }
}

/** The refusal's log line (DynamoLinkLog.record's write) over the same client. */
export class WireLinkLog implements Pick<LinkLog, 'record'> {
  constructor(
    private readonly db: AwsJsonClient,
    private readonly table: string,
    private readonly retentionDays: number,
  ) {}

  record(entries: LinkLogEntry[]) {
    return recordLogEntries(entries, this.retentionDays, async (requests) => {
      const out = await this.db.call<{ UnprocessedItems?: Record<string, { PutRequest: { Item: Item } }[]> }>('BatchWriteItem', {
        RequestItems: {
          [this.table]: requests.map((r) => ({
            PutRequest: { Item: marshall((r as { PutRequest: { Item: Record<string, unknown> } }).PutRequest.Item, { removeUndefinedValues: true }) },
          })),
        },
      });
      // Unprocessed items come back marshalled: unmarshall them so the next try marshalls them once again.
      return (out.UnprocessedItems?.[this.table] ?? []).map((r) => ({ PutRequest: { Item: unmarshall(r.PutRequest.Item) } }));
    });
  }
}
