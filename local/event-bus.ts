import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { EVENT_RULES, type EventPattern, type FunctionName } from '../functions/manifest';
import type { WorkTracker } from './work-tracker';

export interface BusEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
}

export type Invoke = (name: FunctionName, event: unknown) => Promise<unknown>;

const matches = (pattern: EventPattern, event: BusEvent): boolean =>
  pattern.source.includes(event.source) && pattern['detail-type'].includes(event['detail-type']);

/** Lambda's asynchronous invocation: the first try and two retries, then the dead-letter queue. */
const RETRY_DELAYS_MS = [200, 1000];

/**
 * The local EventBridge: takes PutEvents, keeps every event in
 * `events.jsonl`, and delivers each to the functions whose rules (the same
 * EVENT_RULES the CDK app deploys) match, asynchronously and with retries.
 */
export class LocalEventBus {
  constructor(
    private readonly file: string,
    private readonly invoke: Invoke,
    private readonly park: (entry: { source: string; reason: string; payload: unknown }) => Promise<void>,
    private readonly work: WorkTracker,
    private readonly log: (message: string) => void,
  ) {}

  /** Answers a PutEvents request body the way EventBridge does, entry by entry. */
  putEvents(body: unknown): { FailedEntryCount: number; Entries: ({ EventId: string } | { ErrorCode: string; ErrorMessage: string })[] } {
    const entries = (body as { Entries?: unknown })?.Entries;
    if (!Array.isArray(entries) || entries.length === 0 || entries.length > 10) {
      throw Object.assign(new Error('Entries must hold 1 to 10 events'), { code: 'ValidationException' });
    }
    // EventBridge refuses a PutEvents request over 256 KB (Detail, DetailType, Source and Resources counted).
    const size = entries.reduce(
      (sum: number, e: Record<string, unknown>) => sum + String(e?.Detail ?? '').length + String(e?.DetailType ?? '').length + String(e?.Source ?? '').length,
      0,
    );
    if (size > 256 * 1024)
      throw Object.assign(new Error('Total size of the entries in the request is over the limit (256 KB).'), { code: 'ValidationException' });
    const results = entries.map((entry: Record<string, unknown>) => {
      const { Source, DetailType, Detail } = entry ?? {};
      if (typeof Source !== 'string' || typeof DetailType !== 'string' || typeof Detail !== 'string') {
        return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Source, DetailType and Detail are required strings.' };
      }
      let detail: unknown;
      try {
        detail = JSON.parse(Detail);
      } catch {
        return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
      }
      if (!detail || typeof detail !== 'object' || Array.isArray(detail))
        return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail must be a JSON object.' };
      const event: BusEvent = {
        version: '0',
        id: randomUUID(),
        'detail-type': DetailType,
        source: Source,
        account: '000000000000',
        time: typeof entry.Time === 'string' || entry.Time instanceof Date ? new Date(entry.Time as string).toISOString() : new Date().toISOString(),
        region: process.env.AWS_REGION ?? 'us-east-1',
        resources: Array.isArray(entry.Resources) ? (entry.Resources as string[]) : [],
        detail,
      };
      this.publish(event);
      return { EventId: event.id };
    });
    return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
  }

  publish(event: BusEvent) {
    appendFileSync(this.file, `${JSON.stringify(event)}\n`);
    for (const rule of EVENT_RULES) {
      if (matches(rule.pattern, event)) void this.work.run(() => this.deliver(rule.id, rule.function, event));
    }
  }

  private async deliver(ruleId: string, name: FunctionName, event: BusEvent) {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.invoke(name, structuredClone(event));
        return;
      } catch (error) {
        const delay = RETRY_DELAYS_MS[attempt];
        if (delay === undefined) {
          this.log(`rule ${ruleId}: ${name} failed ${attempt + 1} times; parked in the dead-letter queue`);
          await this.park({ source: `rule:${ruleId}`, reason: (error as Error).message, payload: event });
          return;
        }
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  /** Events seen on the bus, oldest first (for the operator and for tests). */
  history(filter: { detailType?: string | undefined; source?: string | undefined } = {}): BusEvent[] {
    if (!existsSync(this.file)) return [];
    return readFileSync(this.file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as BusEvent)
      .filter((e) => (!filter.detailType || e['detail-type'] === filter.detailType) && (!filter.source || e.source === filter.source));
  }
}
