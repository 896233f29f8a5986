import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import { DISPATCH_TAG } from '../../core/dispatch';
import type { Mailer, OutgoingEmail } from '../../core/ports';

/** SES tag values hold ASCII letters, digits, `_` and `-` only, up to 256 of them. */
const tagValue = (value: string) => value.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 256) || '_';

/**
 * SES v2 with a configuration set: the dispatch id rides as a message tag, so
 * SES's own events (sent, bounced, complained) name the dispatch they are about.
 */
export class SesMailer implements Mailer {
  constructor(
    private readonly ses: SESv2Client,
    private readonly options: { from: string; configurationSet?: string | undefined },
  ) {}

  async send(email: OutgoingEmail) {
    const out = await this.ses.send(
      new SendEmailCommand({
        FromEmailAddress: this.options.from,
        Destination: { ToAddresses: [email.to] },
        Content: { Raw: { Data: email.raw } },
        ConfigurationSetName: this.options.configurationSet,
        EmailTags: [
          { Name: DISPATCH_TAG, Value: email.dispatchId },
          { Name: 'kind', Value: tagValue(email.kind) },
          ...(email.reference ? [{ Name: 'reference', Value: tagValue(email.reference) }] : []),
        ],
      }),
    );
    if (!out.MessageId) throw new Error('SES accepted the email without a message id');
    return { messageId: out.MessageId };
  }
}
