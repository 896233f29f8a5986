import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * SES v2 SendEmail, locally: each message the system would send is written to
 * DATA_DIR/outbox/ as an .eml file, byte for byte what SES would get.
 */
export class LocalOutbox {
  constructor(private readonly dir: string) {}

  sendEmail(path: string, body: Buffer): { status: number; body: unknown } {
    if (!path.endsWith('/v2/email/outbound-emails')) return { status: 404, body: { message: `SES operation ${path} is not emulated locally` } };
    let input: { Content?: { Raw?: { Data?: string } }; Destination?: { ToAddresses?: string[] }; EmailTags?: { Name: string; Value: string }[] };
    try {
      input = JSON.parse(body.toString('utf8'));
    } catch {
      return { status: 400, body: { message: 'body is not JSON' } };
    }
    const raw = input.Content?.Raw?.Data;
    if (!raw || !input.Destination?.ToAddresses?.length) return { status: 400, body: { message: 'only raw messages with a destination are emulated' } };
    const tag = input.EmailTags?.find((t) => t.Name === 'invoice')?.Value ?? 'message';
    const messageId = randomUUID();
    const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${tag.replace(/[^A-Za-z0-9_-]/g, '_')}-${messageId.slice(0, 8)}.eml`;
    writeFileSync(join(this.dir, name), Buffer.from(raw, 'base64'));
    return { status: 200, body: { MessageId: messageId } };
  }

  /** The messages kept so far, oldest first. */
  list(): { file: string; raw: string }[] {
    return readdirSync(this.dir)
      .filter((f) => f.endsWith('.eml'))
      .sort()
      .map((file) => ({ file, raw: readFileSync(join(this.dir, file), 'utf8') }));
  }
}
