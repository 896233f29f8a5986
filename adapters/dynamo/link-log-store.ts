import { BatchWriteCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { LinkLogEntry } from '../../core/link-log';
import type { LinkLog, PageRequest } from '../../core/ports';
import { decodeCursor, encodeCursor } from '../cursor';
import { recordLogEntries } from './link-log-items';

/** The link log table: one partition per link, newest first, expired by TTL after the retention period. */
export class DynamoLinkLog implements LinkLog {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly retentionDays: number,
  ) {}

  async record(entries: LinkLogEntry[]) {
    await recordLogEntries(entries, this.retentionDays, async (requests) => {
      const out = await this.db.send(new BatchWriteCommand({ RequestItems: { [this.table]: requests as never } }));
      return (out.UnprocessedItems?.[this.table] ?? []) as Record<string, unknown>[];
    });
  }

  async list(linkId: string, page: PageRequest) {
    const start = decodeCursor(page.cursor, ['entryKey']);
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        // From `0`: entries' keys start with their time; the sharing records beside them (`#…`) are not log lines.
        KeyConditionExpression: 'linkId = :id AND entryKey >= :first',
        ExpressionAttributeValues: { ':id': linkId, ':first': '0' },
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
