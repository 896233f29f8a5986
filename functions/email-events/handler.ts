import { DISPATCH_TAG } from '../../core/dispatch';
import { countBounce } from '../../core/use-cases/count-dashboard-changes';
import { dashboardCounters, dispatchLedger } from '../shared/deps';
import { logger } from '../shared/logger';
import { countMetric } from '../shared/metrics';
import { queueHandler } from '../shared/queue';

const ledger = dispatchLedger();

/** SES's event types (configuration set → EventBridge), by the detail-type SES gives them. */
const FEEDBACK = {
  'Email Bounced': 'bounce',
  'Email Complaint Received': 'complaint',
  'Email Delivered': 'delivery',
  'Email Rejected': 'reject',
} as const;

interface SesEventDetail {
  eventType?: string;
  mail?: { messageId?: string; timestamp?: string; tags?: Record<string, string[]> };
  bounce?: { bounceType?: string; bounceSubType?: string; timestamp?: string; feedbackId?: string };
  complaint?: { complaintFeedbackType?: string; timestamp?: string };
}

/**
 * What SES reports about the emails it accepted. "Email Sent" confirms the
 * email's dispatch (a sender that crashed after SES accepted it does not send
 * it twice); bounces and complaints are recorded on the dispatch and logged
 * for the alarms (SES's suppression list keeps them from being mailed again);
 * bounces are counted on the dashboard, once per SES report (its feedback id,
 * or the event's id), however often the queue delivers it.
 */
export const handler = queueHandler('email-events', async (event) => {
  if (event.source !== 'aws.ses') return undefined;
  const detail = (event.detail ?? {}) as SesEventDetail;
  const dispatchId = detail.mail?.tags?.[DISPATCH_TAG]?.[0];
  if (!dispatchId) return undefined; // not one of ours (another sender of the account)
  const at = typeof event.time === 'string' ? event.time : new Date().toISOString();
  const type = event['detail-type'];
  if (type === 'Email Sent') {
    await ledger.markSent(dispatchId, { at, messageId: detail.mail?.messageId });
    return undefined;
  }
  const kind = typeof type === 'string' ? FEEDBACK[type as keyof typeof FEEDBACK] : undefined;
  if (!kind) return undefined;
  const reason = detail.bounce ? [detail.bounce.bounceType, detail.bounce.bounceSubType].filter(Boolean).join('/') : detail.complaint?.complaintFeedbackType;
  await ledger.recordFeedback(dispatchId, { at, kind, detail: reason });
  if (kind === 'bounce' || kind === 'complaint') logger.warn('email feedback', { kind, reason, dispatchId });
  if (kind === 'bounce') {
    const feedbackId = detail.bounce?.feedbackId ?? (typeof event.id === 'string' ? event.id : undefined);
    await countBounce(dashboardCounters(), { feedbackId, at });
    countMetric('EmailsBounced');
  }
  if (kind === 'complaint') countMetric('EmailsComplained');
  return undefined;
});
