import { BatchWriteCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { LinkLogEntry } from '../../core/link-log';
import type { LinkLog, PageRequest } from '../../core/ports';
import { chunk } from '../../core/concurrency';
import { decodeCursor, encodeCursor } from '../cursor';

const DAY_SECONDS = 86_400;

/** The link log table: one partition per link, newest first, expired by TTL after the retention period. */
export class DynamoLinkLog implements LinkLog {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly retentionDays: number,
  ) {}

  async record(entries: LinkLogEntry[]) {
    // BatchWriteItem takes 25 items; a batch may not name one key twice, so duplicates (a retried record) collapse first.
    const unique = [...new Map(entries.map((e) => [`${e.linkId}|${e.entryKey}`, e])).values()];
    for (const batch of chunk(unique, 25)) {
      let requests: Record<string, unknown>[] = batch.map((entry) => ({
        PutRequest: { Item: { ...entry, expiresAtEpoch: Math.floor(Date.parse(entry.at) / 1000) + this.retentionDays * DAY_SECONDS } },
      }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt > 8) throw new Error('BatchWriteItem kept returning unprocessed items');
        if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt)));
        const out = await this.db.send(new BatchWriteCommand({ RequestItems: { [this.table]: requests as never } }));
        requests = (out.UnprocessedItems?.[this.table] ?? []) as Record<string, unknown>[];
      }
    }
  }

  async list(linkId: string, page: PageRequest) {
    const start = decodeCursor(page.cursor, ['entryKey']);
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'linkId = :id',
        ExpressionAttributeValues: { ':id': linkId },
        ScanIndexForward: false,
        Limit: page.limit,
        ExclusiveStartKey: start ? { ...start, linkId } : undefined,
      }),
    );
    return {
      items: (out.Items ?? []).map(({ expiresAtEpoch: _ttl, ...entry }) => entry as LinkLogEntry),
      nextCursor: encodeCursor(out.LastEvaluatedKey, ['entryKey']),
    };
  }
}
