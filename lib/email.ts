import { CfnOutput, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import type { ApiFunction } from './constructs/api-function';
import type { SenderIdentityKind } from './settings';

/** What SES reports about each email, to the default bus (the only one SES publishes to): functions/manifest.ts routes it to email-events. */
export const SES_PUBLISHED_EVENTS = [
  ses.EmailSendingEvent.SEND,
  ses.EmailSendingEvent.DELIVERY,
  ses.EmailSendingEvent.BOUNCE,
  ses.EmailSendingEvent.COMPLAINT,
  ses.EmailSendingEvent.REJECT,
];

const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

/**
 * Every SES identity `ses:SendEmail` must be allowed on: the sender's address
 * and its domain (SES authorizes whichever of the two is verified) and, in the
 * sandbox, each verified recipient.
 */
export const sendingIdentities = (senderEmail: string, sandboxRecipients: readonly string[]): string[] => [
  ...new Set([senderEmail, domainOf(senderEmail), ...sandboxRecipients]),
];

export interface SenderIdentityProps {
  readonly senderEmail: string;
  readonly kind: SenderIdentityKind;
  /** With `kind: 'domain'`: the public zone of the sender's domain, where the DKIM records are written. */
  readonly hostedZoneId?: string;
  /** Recipients a sandboxed SES account may mail once they confirm (SES mails each a link). */
  readonly sandboxRecipients: readonly string[];
}

/**
 * The SES identity delivery emails are sent from, kept with the data: a
 * domain identity's DKIM keys (and the DNS records made from them) and an
 * address's verification survive re-creating the stateless stack.
 *
 * - `email`: the sender address itself; SES mails it a link to confirm.
 * - `domain`: the sender's domain with Easy DKIM; the three CNAME records are
 *   written to `hostedZoneId` when given, else output to add by hand.
 * - `existing`: the identity is managed outside this app; nothing is created.
 */
export class SenderIdentity extends Construct {
  constructor(scope: Construct, id: string, props: SenderIdentityProps) {
    super(scope, id);
    const domain = domainOf(props.senderEmail);
    if (props.kind === 'email') {
      new ses.EmailIdentity(this, 'Sender', { identity: ses.Identity.email(props.senderEmail) });
      new CfnOutput(Stack.of(this), 'SenderVerification', {
        value: `SES mailed ${props.senderEmail} a verification link: open it before the first delivery email is sent.`,
      });
    } else if (props.kind === 'domain') {
      const identity = props.hostedZoneId
        ? ses.Identity.publicHostedZone(route53.PublicHostedZone.fromHostedZoneAttributes(this, 'Zone', { hostedZoneId: props.hostedZoneId, zoneName: domain }))
        : ses.Identity.domain(domain);
      const sender = new ses.EmailIdentity(this, 'Sender', { identity });
      if (!props.hostedZoneId) {
        const records = [
          [sender.dkimDnsTokenName1, sender.dkimDnsTokenValue1],
          [sender.dkimDnsTokenName2, sender.dkimDnsTokenValue2],
          [sender.dkimDnsTokenName3, sender.dkimDnsTokenValue3],
        ] as const;
        records.forEach(([name, value], i) => {
          new CfnOutput(Stack.of(this), `SenderDkimRecord${i + 1}`, {
            value: `${name} CNAME ${value}`,
            description: `DKIM record ${i + 1} of 3 to add to ${domain}`,
          });
        });
      }
    }
    for (const [i, recipient] of props.sandboxRecipients.entries()) {
      new ses.EmailIdentity(this, `SandboxRecipient${i + 1}`, { identity: ses.Identity.email(recipient) });
    }
  }
}

export interface EmailSendingProps {
  /** The functions that send email. */
  readonly senders: readonly ApiFunction[];
  /** The identities the senders may use (`sendingIdentities`). */
  readonly identities: readonly string[];
}

/**
 * How delivery emails are sent and followed: a configuration set that
 * publishes every email's send, delivery, bounce, complaint and rejection to
 * the default bus (the email-events rule confirms dispatches and counts
 * feedback from them), adds bouncing and complaining addresses to the
 * account's suppression list so that they are not mailed again, and tracks
 * the reputation metrics the alarms read. The senders may send only from the
 * sender identities and only through this configuration set.
 */
export class EmailSending extends Construct {
  readonly configurationSet: ses.ConfigurationSet;

  constructor(scope: Construct, id: string, props: EmailSendingProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {
      reputationMetrics: true,
      sendingEnabled: true,
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    this.configurationSet.addEventDestination('ToDefaultBus', {
      destination: ses.EventDestination.eventBus(events.EventBus.fromEventBusName(this, 'DefaultBus', 'default')),
      events: SES_PUBLISHED_EVENTS,
    });
    const configurationSetArn = stack.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: this.configurationSet.configurationSetName });
    const identityArns = props.identities.map((name) => stack.formatArn({ service: 'ses', resource: 'identity', resourceName: name }));
    for (const sender of props.senders) {
      // SES authorizes SendEmail against the identity and the configuration set (and, in the sandbox, the recipient's identity).
      sender.allow(['ses:SendEmail'], [...identityArns, configurationSetArn]);
      sender.env('SES_CONFIGURATION_SET', this.configurationSet.configurationSetName);
    }
  }
}
