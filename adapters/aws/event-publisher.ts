import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { OUTGOING_SOURCE } from '../../core/event-names';
import type { OutgoingEvent } from '../../core/events';
import type { EventPublisher } from '../../core/ports';
import { chunk } from '../../core/concurrency';

const MAX_REQUEST_BYTES = 250_000;

const batches = (events: OutgoingEvent[]): OutgoingEvent[][] =>
  chunk(events, 10).flatMap((ten) => {
    const out: OutgoingEvent[][] = [[]];
    let size = 0;
    for (const event of ten) {
      const eventSize = Buffer.byteLength(JSON.stringify(event.detail)) + event.detailType.length + OUTGOING_SOURCE.length;
      if (size + eventSize > MAX_REQUEST_BYTES && (out.at(-1) as OutgoingEvent[]).length > 0) {
        out.push([]);
        size = 0;
      }
      (out.at(-1) as OutgoingEvent[]).push(event);
      size += eventSize;
    }
    return out;
  });

/** Publishes to EventBridge (PutEvents takes 10 entries a call); a failed entry fails the call, so the caller retries. */
export class EventBridgePublisher implements EventPublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
  ) {}

  async publish(events: OutgoingEvent[]) {
    // PutEvents takes at most 10 entries and 256 KB a call.
    for (const batch of batches(events)) {
      const out = await this.client.send(
        new PutEventsCommand({
          Entries: batch.map((e) => ({ Source: OUTGOING_SOURCE, DetailType: e.detailType, Detail: JSON.stringify(e.detail), EventBusName: this.busName })),
        }),
      );
      if ((out.FailedEntryCount ?? 0) > 0) {
        const codes = (out.Entries ?? []).map((e) => e.ErrorCode).filter(Boolean);
        throw new Error(`EventBridge refused ${out.FailedEntryCount} event(s): ${codes.join(', ')}`);
      }
    }
  }
}
