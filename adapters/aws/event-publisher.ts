import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { EventPublisher, OutgoingEvent } from '../../core/ports';
import { chunk } from '../dynamo/paging';

export const OUTGOING_SOURCE = 'digital-downloads';

/** Publishes to EventBridge (PutEvents takes 10 entries a call); a failed entry fails the call, so the caller retries. */
export class EventBridgePublisher implements EventPublisher {
  constructor(private readonly client: EventBridgeClient, private readonly busName: string) {}

  async publish(events: OutgoingEvent[]) {
    for (const batch of chunk(events, 10)) {
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
