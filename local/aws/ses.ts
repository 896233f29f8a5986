import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalEventBus } from '../event-bus';

interface SendEmailInput {
  FromEmailAddress?: string;
  Content?: { Raw?: { Data?: string } };
  Destination?: { ToAddresses?: string[] };
  ConfigurationSetName?: string;
  EmailTags?: { Name: string; Value: string }[];
}

/** SES's mailbox simulator: mail to these addresses bounces or complains, as in AWS. */
const SIMULATOR: Record<string, 'Email Bounced' | 'Email Complaint Received'> = {
  'bounce@simulator.amazonses.com': 'Email Bounced',
  'complaint@simulator.amazonses.com': 'Email Complaint Received',
};

/** `<time>-<reference or kind>-<message id>.eml`: oldest first, and findable by invoice. */
const fileOf = (messageId: string, label: string) => `${new Date().toISOString().replace(/[:.]/g, '-')}-${label}-${messageId}.eml`;
const messageIdOf = (file: string) => /-([0-9a-f-]{36})\.eml$/.exec(file)?.[1];

/**
 * SES v2 SendEmail, locally. Each message it accepts is written to
 * DATA_DIR/outbox/ (byte for byte what SES would get), then SES's own events
 * come back on the bus as a configuration set publishes them in AWS: "Email
 * Sent" (with the message's tags, which name its dispatch), and for the
 * mailbox simulator's addresses a bounce or a complaint. A message on disk
 * whose "Email Sent" a crash cut off is announced at the next start: an email
 * SES accepted is always reported, as in AWS.
 */
export class LocalSes {
  constructor(
    private readonly dir: string,
    private readonly bus: LocalEventBus,
  ) {
    mkdirSync(dir, { recursive: true });
  }

  /** Announces accepted messages the bus never heard of (a crash between the two). */
  recover(): number {
    const announced = new Set(
      this.bus
        .history({ source: 'aws.ses', detailType: 'Email Sent' })
        .map((e) => (e.detail as { mail?: { messageId?: string } }).mail?.messageId)
        .filter(Boolean),
    );
    let recovered = 0;
    for (const file of this.files()) {
      const messageId = messageIdOf(file);
      if (!messageId || announced.has(messageId)) continue;
      const sidecar = join(this.dir, '.meta', `${messageId}.json`);
      if (!existsSync(sidecar)) continue;
      this.announce(JSON.parse(readFileSync(sidecar, 'utf8')) as Announcement);
      recovered++;
    }
    return recovered;
  }

  sendEmail(path: string, body: Buffer): { status: number; body: unknown } {
    if (!path.endsWith('/v2/email/outbound-emails')) return { status: 404, body: { message: `SES operation ${path} is not emulated locally` } };
    let input: SendEmailInput;
    try {
      input = JSON.parse(body.toString('utf8')) as SendEmailInput;
    } catch {
      return { status: 400, body: { message: 'body is not JSON' } };
    }
    const raw = input.Content?.Raw?.Data;
    const to = input.Destination?.ToAddresses ?? [];
    if (!raw || to.length === 0) return { status: 400, body: { message: 'only raw messages with a destination are emulated' } };
    const messageId = randomUUID();
    const tags = Object.fromEntries((input.EmailTags ?? []).map((t) => [t.Name, [t.Value]]));
    const label = (tags.reference?.[0] ?? tags.kind?.[0] ?? 'message').replace(/[^A-Za-z0-9_-]/g, '_');
    const announcement: Announcement = { messageId, from: input.FromEmailAddress ?? '', to, tags, configurationSet: input.ConfigurationSetName };
    // The message and what SES will say about it are on disk before SES answers: either both exist, or SES refused.
    mkdirSync(join(this.dir, '.meta'), { recursive: true });
    writeDurably(join(this.dir, '.meta', `${messageId}.json`), JSON.stringify(announcement));
    writeDurably(join(this.dir, fileOf(messageId, label)), Buffer.from(raw, 'base64'));
    this.announce(announcement);
    return { status: 200, body: { MessageId: messageId } };
  }

  /** The messages kept so far, oldest first. */
  list(): { file: string; raw: string }[] {
    return this.files().map((file) => ({ file, raw: readFileSync(join(this.dir, file), 'utf8') }));
  }

  private files(): string[] {
    return readdirSync(this.dir)
      .filter((f) => f.endsWith('.eml'))
      .sort();
  }

  private announce(a: Announcement) {
    const mail = {
      timestamp: new Date().toISOString(),
      source: a.from,
      sendingAccountId: '000000000000',
      messageId: a.messageId,
      destination: a.to,
      tags: { ...(a.configurationSet ? { 'ses:configuration-set': [a.configurationSet] } : {}), ...a.tags },
    };
    const resources = a.configurationSet ? [`arn:aws:ses:${process.env.AWS_REGION ?? 'us-east-1'}:000000000000:configuration-set/${a.configurationSet}`] : [];
    const time = new Date().toISOString();
    this.bus.publishServiceEvent({ source: 'aws.ses', 'detail-type': 'Email Sent', time, resources, detail: { eventType: 'Send', mail, send: {} } });
    const simulated = a.to.map((address) => SIMULATOR[address.toLowerCase()]).find(Boolean);
    if (simulated === 'Email Bounced') {
      const bounce = {
        bounceType: 'Permanent',
        bounceSubType: 'General',
        bouncedRecipients: a.to.map((emailAddress) => ({ emailAddress })),
        timestamp: time,
        // SES names each report; the dashboard counts a bounce once by it.
        feedbackId: `${a.messageId}-bounce`,
      };
      this.bus.publishServiceEvent({ source: 'aws.ses', 'detail-type': simulated, time, resources, detail: { eventType: 'Bounce', mail, bounce } });
    } else if (simulated === 'Email Complaint Received') {
      const complaint = { complainedRecipients: a.to.map((emailAddress) => ({ emailAddress })), complaintFeedbackType: 'abuse', timestamp: time };
      this.bus.publishServiceEvent({ source: 'aws.ses', 'detail-type': simulated, time, resources, detail: { eventType: 'Complaint', mail, complaint } });
    }
  }
}

interface Announcement {
  messageId: string;
  from: string;
  to: string[];
  tags: Record<string, string[]>;
  configurationSet?: string | undefined;
}

const writeDurably = (file: string, data: string | Buffer) => {
  const fd = openSync(file, 'w');
  try {
    if (typeof data === 'string') writeSync(fd, data);
    else writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
};
