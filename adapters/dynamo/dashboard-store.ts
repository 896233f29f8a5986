import { TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { chunk } from '../../core/concurrency';
import { type CountedChange, counterName, type DayCounters, tallyOf } from '../../core/dashboard';
import type { DashboardCounters } from '../../core/ports';
import { batchGet, cancellationReasons } from './client';

/**
 * How long a change's marker is kept: longer than any redelivery can come
 * (a stream keeps records 24 hours; a redriven dead letter at most 14 days).
 */
export const MARKER_RETENTION_DAYS = 30;

/** Changes per transaction: each is one marker, plus at most one counter item per day (TransactWriteItems takes 100). */
const CHANGES_PER_TRANSACTION = 25;

/** Tries of a transaction that collides with another writer of the same day's item (TransactionConflict). */
const CONFLICT_ATTEMPTS = 6;

const dayKey = (day: string) => `day#${day}`;
const markerKey = (id: string) => `counted#${id}`;

/**
 * The dashboard table: one item per UTC day whose attributes are its
 * counters (`downloads`, `refusals:<code>`, `products:<id>`, …), read for a
 * whole window in one BatchGetItem; and one marker per change counted.
 *
 * Exactly once: the counters' ADDs and the change's marker (a conditional
 * Put, `attribute_not_exists`) are one transaction, so a change is counted if
 * and only if its marker was written. A batch goes in one transaction; if a
 * marker already exists (the batch, or part of it, was delivered before) the
 * changes are tried one by one and those already counted are skipped.
 *
 * A day's item takes every count of that day: DynamoDB keeps up ~1,000 writes
 * a second on one item, and a transaction counts a whole batch (up to 25
 * changes) in one write to it, so the stream's batches bound the rate, not
 * the downloads. Product ids per day are bounded by the 400 KB item size
 * (tens of thousands of products).
 */
export class DynamoDashboardCounters implements DashboardCounters {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly clock: () => number = Date.now,
  ) {}

  async count(changes: CountedChange[]) {
    let counted = 0;
    // A transaction may not name one item twice.
    const unique = [...new Map(changes.map((c) => [c.id, c])).values()];
    for (const group of chunk(unique, CHANGES_PER_TRANSACTION)) {
      if (await this.write(group)) {
        counted += group.length;
        continue;
      }
      // Some of the group were counted before: each change on its own, so only the new ones count.
      for (const change of group) if (await this.write([change])) counted++;
    }
    return { counted, alreadyCounted: changes.length - counted };
  }

  async read(days: string[]): Promise<DayCounters[]> {
    const items = await batchGet(this.db, this.table, 'pk', days.map(dayKey));
    return items.flatMap((item) => {
      const day = String(item.pk).slice('day#'.length);
      const counters: Record<string, number> = {};
      for (const [name, value] of Object.entries(item)) if (tallyOf(name) && typeof value === 'number') counters[name] = value;
      return [{ day, counters }];
    });
  }

  /** One transaction: the group's markers and its days' ADDs; false when a marker already existed (nothing was written). */
  private async write(group: CountedChange[]): Promise<boolean> {
    const expiresAtEpoch = Math.floor(this.clock() / 1000) + MARKER_RETENTION_DAYS * 86_400;
    const sums = new Map<string, Map<string, number>>();
    for (const change of group) {
      const day = sums.get(change.day) ?? new Map<string, number>();
      for (const tally of change.tallies) day.set(counterName(tally), (day.get(counterName(tally)) ?? 0) + 1);
      sums.set(change.day, day);
    }
    const markers = group.map((change) => ({
      Put: {
        TableName: this.table,
        Item: { pk: markerKey(change.id), day: change.day, expiresAtEpoch },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    }));
    const updates = [...sums.entries()].map(([day, counters]) => {
      const names: Record<string, string> = {};
      const values: Record<string, number> = {};
      const adds = [...counters.entries()].map(([name, n], i) => {
        names[`#c${i}`] = name;
        values[`:c${i}`] = n;
        return `#c${i} :c${i}`;
      });
      return {
        Update: {
          TableName: this.table,
          Key: { pk: dayKey(day) },
          UpdateExpression: `ADD ${adds.join(', ')}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      };
    });
    for (let attempt = 1; ; attempt++) {
      try {
        await this.db.send(new TransactWriteCommand({ TransactItems: [...markers, ...updates] }));
        return true;
      } catch (error) {
        const reasons = cancellationReasons(error)?.map((r) => r.Code ?? 'None');
        if (!reasons) throw error;
        if (reasons.slice(0, markers.length).includes('ConditionalCheckFailed')) return false;
        // Another writer of the same day's item (another batch, a bounce) at the same moment: nothing was written, try again.
        if (reasons.includes('TransactionConflict')) {
          if (attempt < CONFLICT_ATTEMPTS) {
            await new Promise((r) => setTimeout(r, 20 * 2 ** attempt * Math.random()));
            continue;
          }
          // Contention that outlasts the tries is a throttle: the stream retries the batch rather than parking a change that is fine.
          Object.assign(error as object, { $retryable: { throttling: true } });
        }
        throw error;
      }
    }
  }
}
