import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_RULES, type EventPattern, type FunctionName, PARTNER_EVENT_RULES, queuePolicyOf } from '../functions/manifest';
import type { LocalDeadLetters } from './aws/dead-letters';

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

/**
 * The functions an event goes to (each through its own queue, as in AWS).
 * The storefronts' partner sources (Shopify, Stripe) arrive on this one bus
 * too, where AWS has a partner event bus per provider.
 */
export const targetsOf = (event: BusEvent): FunctionName[] => [
  ...new Set([
    ...EVENT_RULES.filter((rule) => matches(rule.pattern, event)).map((rule) => rule.function),
    ...PARTNER_EVENT_RULES.filter((rule) => event.source.startsWith(rule.sourcePrefix)).map((rule) => rule.function),
  ]),
];

interface Delivery {
  event: BusEvent;
  target: FunctionName;
  /** Deliveries that failed while everything the function needs was up (SQS's receive count). */
  attempts: number;
  /** The last failure, the reason of a dead letter. */
  lastError?: string;
}

/** A queue's redelivery delay after a failure (SQS's visibility timeout, shortened for one machine). */
const retryDelayMs = (attempts: number) => Math.min(10_000, 500 * 2 ** Math.max(0, attempts - 1));

const deliveryKey = (eventId: string, target: FunctionName) => `${eventId}|${target}`;

/**
 * The local EventBridge. An event it answers 200 for is on disk first
 * (`bus/events.jsonl`, fsync'd before the answer), and delivered at least
 * once to every function whose rule matches (the same EVENT_RULES the CDK app
 * deploys), through a queue per function with that function's policy (its
 * concurrency, its receive count, then the dead-letter queue), as SQS does in
 * AWS. What was delivered is recorded (`bus/deliveries.jsonl`), so a restart
 * after a crash (even `kill -9`) delivers what was not, and nothing twice
 * that was. While an engine is down, deliveries wait for it instead of using
 * up their receive count.
 */
export class LocalEventBus {
  private readonly eventsFile: string;
  private readonly deliveriesFile: string;
  private eventsFd: number | undefined;
  private deliveriesFd: number | undefined;
  private readonly queues = new Map<FunctionName, Delivery[]>();
  private readonly running = new Map<FunctionName, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly idleWaiters: (() => void)[] = [];
  private started = false;
  private stopping = false;

  constructor(
    dir: string,
    private readonly deps: {
      invoke: Invoke;
      deadLetters: LocalDeadLetters;
      /** Resolves once every engine the functions need is up. */
      enginesUp: () => boolean;
      waitForEngines: () => Promise<void>;
      log: (message: string) => void;
    },
  ) {
    mkdirSync(dir, { recursive: true });
    this.eventsFile = join(dir, 'events.jsonl');
    this.deliveriesFile = join(dir, 'deliveries.jsonl');
  }

  /** Opens the journal and queues every delivery a previous run did not finish. */
  start(): { pending: number } {
    const done = new Set<string>();
    for (const line of readLines(this.deliveriesFile)) {
      const record = JSON.parse(line) as { id: string; target: FunctionName };
      done.add(deliveryKey(record.id, record.target));
    }
    let pending = 0;
    for (const event of this.history()) {
      for (const target of targetsOf(event)) {
        if (done.has(deliveryKey(event.id, target))) continue;
        this.enqueue({ event, target, attempts: 0 });
        pending++;
      }
    }
    this.eventsFd = openSync(this.eventsFile, 'a');
    this.deliveriesFd = openSync(this.deliveriesFile, 'a');
    this.started = true;
    for (const target of this.queues.keys()) this.pump(target);
    return { pending };
  }

  /** Answers a PutEvents request body the way EventBridge does, entry by entry; throws a ValidationException-coded error for the whole request. */
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
    const accepted: BusEvent[] = [];
    const results = entries.map((entry: Record<string, unknown>) => {
      const { Source, DetailType, Detail } = entry ?? {};
      if (typeof Source !== 'string' || typeof DetailType !== 'string' || typeof Detail !== 'string' || Source.length === 0 || DetailType.length === 0) {
        return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Source, DetailType and Detail are required strings.' };
      }
      // Sources of AWS services are AWS's own (partner event sources come from the partners).
      if (Source.startsWith('aws.') && !Source.startsWith('aws.partner/')) {
        return { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: `Not authorized for the source ${Source}.` };
      }
      let detail: unknown;
      try {
        detail = JSON.parse(Detail);
      } catch {
        return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
      }
      if (!detail || typeof detail !== 'object' || Array.isArray(detail))
        return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail must be a JSON object.' };
      const time = typeof entry.Time === 'string' || entry.Time instanceof Date || typeof entry.Time === 'number' ? new Date(entry.Time as string) : new Date();
      const event = this.envelope({
        source: Source,
        'detail-type': DetailType,
        detail,
        time: Number.isNaN(time.getTime()) ? new Date().toISOString() : time.toISOString(),
        resources: Array.isArray(entry.Resources) ? (entry.Resources as string[]).map(String) : [],
      });
      accepted.push(event);
      return { EventId: event.id };
    });
    // On disk before the answer: an event answered 200 is never lost.
    this.record(accepted);
    return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
  }

  /** An event of an AWS service (SES's), put on the bus by the runtime itself. */
  publishServiceEvent(event: Omit<BusEvent, 'version' | 'id' | 'account' | 'region'>): BusEvent {
    const full = this.envelope(event);
    this.record([full]);
    return full;
  }

  /** Puts dead letters of `target` back on its queue (SQS's redrive); returns how many. */
  redrive(target: FunctionName): number {
    const letters = this.deps.deadLetters.take((letter) => letter.source === target && isBusEvent(letter.payload));
    for (const letter of letters) this.enqueue({ event: letter.payload as BusEvent, target, attempts: 0 });
    this.pump(target);
    return letters.length;
  }

  /** Resolves true once nothing is queued, running or waiting for a retry; false after `timeoutMs`. */
  idle(timeoutMs: number): Promise<boolean> {
    if (this.isIdle()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  get busy(): boolean {
    return !this.isIdle();
  }

  /** Whether anything is queued or running for these functions. */
  hasWorkFor(targets: readonly FunctionName[]): boolean {
    return targets.some((t) => (this.queues.get(t)?.length ?? 0) > 0 || (this.running.get(t) ?? 0) > 0);
  }

  /**
   * Stops taking deliveries, and waits (at most `timeoutMs`) for the ones
   * running; whatever is left stays in the journal for the next start.
   */
  async stop(timeoutMs: number): Promise<void> {
    this.stopping = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const deadline = Date.now() + timeoutMs;
    while ([...this.running.values()].some((n) => n > 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    for (const fd of [this.eventsFd, this.deliveriesFd]) if (fd !== undefined) closeSync(fd);
    this.eventsFd = this.deliveriesFd = undefined;
  }

  /** Events seen on the bus, oldest first (for the operator and for tests). */
  history(filter: { detailType?: string | undefined; source?: string | undefined } = {}): BusEvent[] {
    return readLines(this.eventsFile)
      .map((line) => JSON.parse(line) as BusEvent)
      .filter((e) => (!filter.detailType || e['detail-type'] === filter.detailType) && (!filter.source || e.source === filter.source));
  }

  private envelope(event: Omit<BusEvent, 'version' | 'id' | 'account' | 'region'>): BusEvent {
    return { version: '0', id: randomUUID(), account: '000000000000', region: process.env.AWS_REGION ?? 'us-east-1', ...event };
  }

  private record(events: BusEvent[]) {
    if (events.length === 0) return;
    if (this.eventsFd === undefined) throw Object.assign(new Error('the event bus is not running'), { code: 'InternalException' });
    writeSync(this.eventsFd, events.map((e) => `${JSON.stringify(e)}\n`).join(''));
    fsyncSync(this.eventsFd);
    for (const event of events) for (const target of targetsOf(event)) this.enqueue({ event, target, attempts: 0 });
    for (const event of events) for (const target of targetsOf(event)) this.pump(target);
  }

  private enqueue(delivery: Delivery) {
    const queue = this.queues.get(delivery.target) ?? [];
    queue.push(delivery);
    this.queues.set(delivery.target, queue);
  }

  private pump(target: FunctionName) {
    if (!this.started || this.stopping) return;
    const queue = this.queues.get(target) ?? [];
    const limit = queuePolicyOf(target).maxConcurrency;
    while (queue.length > 0 && (this.running.get(target) ?? 0) < limit) {
      const delivery = queue.shift() as Delivery;
      this.running.set(target, (this.running.get(target) ?? 0) + 1);
      void this.deliver(delivery).finally(() => {
        this.running.set(target, (this.running.get(target) ?? 0) - 1);
        this.pump(target);
        this.wakeIfIdle();
      });
    }
  }

  private async deliver(delivery: Delivery): Promise<void> {
    await this.deps.waitForEngines();
    if (this.stopping) return;
    const { event, target } = delivery;
    const messageId = randomUUID();
    let failure: string | undefined;
    try {
      const response = (await this.deps.invoke(target, sqsEventOf(target, messageId, event, delivery.attempts + 1))) as
        | { batchItemFailures?: { itemIdentifier: string }[] }
        | undefined;
      if (response?.batchItemFailures?.some((f) => f.itemIdentifier === messageId)) failure = 'the function reported the message as failed';
    } catch (error) {
      failure = (error as Error)?.message ?? String(error);
    }
    if (this.stopping && failure) return; // stopping mid-delivery: the journal keeps it for the next start
    if (!failure) return this.finish(delivery, 'done');
    // An outage is not the message's fault: it does not count against its receives (SQS would keep it through a short one).
    const counts = this.deps.enginesUp();
    const next: Delivery = { ...delivery, attempts: delivery.attempts + (counts ? 1 : 0), lastError: failure };
    if (next.attempts >= queuePolicyOf(target).maxReceiveCount) {
      this.deps.log(`bus: ${target} failed ${next.attempts} times; the event is in its dead-letter queue`);
      await this.deps.deadLetters.park({ source: target, reason: failure, payload: event });
      return this.finish(delivery, 'parked');
    }
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        this.enqueue(next);
        this.pump(target);
      },
      retryDelayMs(next.attempts || 1),
    );
    this.timers.add(timer);
  }

  private finish(delivery: Delivery, outcome: 'done' | 'parked') {
    if (this.deliveriesFd === undefined) return;
    writeSync(this.deliveriesFd, `${JSON.stringify({ id: delivery.event.id, target: delivery.target, outcome })}\n`);
  }

  private isIdle() {
    return this.timers.size === 0 && [...this.queues.values()].every((q) => q.length === 0) && [...this.running.values()].every((n) => n === 0);
  }

  private wakeIfIdle() {
    if (this.isIdle()) for (const wake of this.idleWaiters.splice(0)) wake();
  }
}

const isBusEvent = (value: unknown): value is BusEvent =>
  !!value && typeof value === 'object' && typeof (value as BusEvent).id === 'string' && typeof (value as BusEvent).source === 'string';

/** The SQS event Lambda hands a function behind a queue: one message, the EventBridge event as its body. */
const sqsEventOf = (target: FunctionName, messageId: string, event: BusEvent, receiveCount: number) => {
  const body = JSON.stringify(event);
  return {
    Records: [
      {
        messageId,
        receiptHandle: messageId,
        body,
        attributes: {
          ApproximateReceiveCount: String(receiveCount),
          SentTimestamp: String(Date.parse(event.time) || Date.now()),
          SenderId: 'events.amazonaws.com',
          ApproximateFirstReceiveTimestamp: String(Date.now()),
        },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: `arn:aws:sqs:${process.env.AWS_REGION ?? 'us-east-1'}:000000000000:${target}`,
        awsRegion: process.env.AWS_REGION ?? 'us-east-1',
      },
    ],
  };
};

/** The complete lines of a journal (a crash may leave the last one half-written). */
const readLines = (file: string): string[] => {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => {
      if (!line) return false;
      try {
        JSON.parse(line);
        return true;
      } catch {
        return false;
      }
    });
};
