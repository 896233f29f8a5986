import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { burst, enginePids, RuntimeProcess } from './harness';

/**
 * The runtime as a user runs it, crashed on purpose: `kill -9` of its whole
 * process group at several points of a burst of payments, and a SIGTERM right
 * after one. Every event the bus answered 200 for must be delivered, exactly
 * once, with exactly one email, and no engine may outlive the runtime.
 */
const BURST = 40;
const dataDir = mkdtempSync(join(tmpdir(), 'dd-fault-'));
let runtime: RuntimeProcess;
const accepted: string[] = [];

const waitUntil = async (condition: () => boolean | Promise<boolean>, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return condition();
};

/** Delivered events and emails per invoice, as the shop and the customer see them. */
const deliveries = async () => {
  const events = (await runtime.json('/_local/events?detailType=DigitalProductDelivered')).body.items as { detail: { invoiceId: string } }[];
  const delivered = new Map<string, number>();
  for (const e of events) delivered.set(e.detail.invoiceId, (delivered.get(e.detail.invoiceId) ?? 0) + 1);
  return { delivered, emails: runtime.emailsByInvoice() };
};

/** How many of `invoices` have their delivery email already. */
const mailed = (invoices: string[]) => {
  const emails = runtime.emailsByInvoice();
  return invoices.filter((id) => emails.has(id)).length;
};

/** Whether the invoice's links exist yet, as the Download Manager shows them. */
const hasLinks = async (invoiceId: string) => {
  const admin = await runtime.token('operator', 'downloads/admin');
  const { body } = await runtime.json(`/admin/invoices/${invoiceId}/downloads`, { headers: { authorization: `Bearer ${admin}` } });
  return ((body as { items?: unknown[] }).items ?? []).length > 0;
};

beforeAll(async () => {
  runtime = await RuntimeProcess.create(dataDir);
  await runtime.start();
}, 120_000);

afterAll(async () => {
  await runtime?.terminate().catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

describe('crashes during a burst of payments', () => {
  // Each crash point is reached by watching the work, not by a delay: the same point on a fast or a loaded machine.
  it.each([
    ['at once after the bus answered', async (_sent: string[]) => true],
    ['while the payments are being processed (the first links exist)', (sent: string[]) => waitUntil(() => hasLinks(sent[0] as string), 60_000)],
    ['while links are announced and emails sent (the first email is out)', (sent: string[]) => waitUntil(() => mailed(sent) > 0, 60_000)],
  ])(
    'kill -9 of the whole runtime %s: no engine outlives it, and after a restart every accepted event is delivered once',
    async (_when, reached) => {
      // Prepare
      const sent = await burst(runtime, BURST, `k${accepted.length}`);
      expect(sent).toHaveLength(BURST);
      accepted.push(...sent);

      // Act
      expect(await reached(sent)).toBe(true);
      await runtime.kill9();

      // Assess: the crash cut the work short (else it tested nothing), the engines died with it (their watchdog
      // reads the runtime's end of a pipe), and the restart finishes every accepted event exactly once.
      expect(mailed(sent)).toBeLessThan(BURST);
      expect(await waitUntil(() => enginePids(dataDir).length === 0, 5000)).toBe(true);
      await runtime.start();
      await runtime.settled();
      const { delivered, emails } = await deliveries();
      for (const invoiceId of sent) {
        expect(delivered.get(invoiceId), `DigitalProductDelivered for ${invoiceId}`).toBe(1);
        expect(emails.get(invoiceId), `emails for ${invoiceId}`).toBe(1);
      }
    },
    180_000,
  );

  it('SIGTERM right after a burst stops cleanly, leaves no engine, and the next start finishes the work', async () => {
    // Prepare
    const sent = await burst(runtime, BURST, 'term');
    accepted.push(...sent);

    // Act
    const code = await runtime.terminate();

    // Assess
    expect(code).toBe(0);
    expect(enginePids(dataDir)).toEqual([]);
    await runtime.start();
    await runtime.settled();
    const { delivered, emails } = await deliveries();
    for (const invoiceId of sent) {
      expect(delivered.get(invoiceId)).toBe(1);
      expect(emails.get(invoiceId)).toBe(1);
    }
  }, 180_000);

  it('a re-created consumer reading the streams from their start (checkpoints gone) announces and mails nothing again', async () => {
    // Prepare
    const before = await deliveries();
    const eventsBefore = (await runtime.json('/_local/events?source=digital-downloads')).body.items.length;
    expect(await runtime.terminate()).toBe(0);
    rmSync(join(dataDir, 'stream-checkpoints.json'), { force: true });

    // Act
    await runtime.start();
    await runtime.settled();

    // Assess
    const after = await deliveries();
    expect((await runtime.json('/_local/events?source=digital-downloads')).body.items.length).toBe(eventsBefore);
    expect(after.emails).toEqual(before.emails);
    expect(after.delivered).toEqual(before.delivered);
  }, 180_000);

  it('never delivered an event twice, nor sent a second email, across all the crashes', async () => {
    const { delivered, emails } = await deliveries();
    expect([...delivered.values()].every((n) => n === 1)).toBe(true);
    expect([...emails.values()].every((n) => n === 1)).toBe(true);
    expect(delivered.size).toBe(accepted.length);
    expect((await runtime.json('/_local/dead-letters')).body.items).toEqual([]);
  });
});
