import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { burst, enginePids, RuntimeProcess } from './harness';

/**
 * The runtime as a user runs it, crashed on purpose: `kill -9` of its whole
 * process group at several points of a burst of payments, and a SIGTERM right
 * after one. Every event the bus answered 200 for must be delivered, exactly
 * once, with exactly one email, and no engine may outlive the runtime. What a
 * user made before a stop (products, links, counts, the link log, sessions)
 * is still there after the start on the same PORT and DATA_DIR.
 */
const BURST = 20;
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

/** The invoice of every event the system published (DigitalProductDelivered, InvoiceCompleted, …), in order. */
const announced = async () =>
  ((await runtime.json('/_local/events?source=digital-downloads')).body.items as { detail: { invoiceId: string } }[]).map((e) => e.detail.invoiceId);

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

  it('SIGTERM right after a burst stops cleanly and leaves no engine; the next start, as a re-created consumer reading the streams from their start (checkpoints gone), finishes the work, announces and mails nothing again, and keeps what was there', async () => {
    // Prepare: a customer bought and downloaded once, then a burst is still in flight when the stop comes.
    const [kept] = await burst(runtime, 1, 'kept');
    accepted.push(kept as string);
    await runtime.settled();
    const customer = { authorization: `Bearer ${await runtime.token(`cust-${kept}`)}` };
    const [link] = (await runtime.json('/downloads/customer', { headers: customer })).body.items as { id: string; downloadUrl: string }[];
    expect((await fetch(link?.downloadUrl as string, { headers: customer, redirect: 'manual' })).status).toBe(302);
    await runtime.settled();
    const before = await deliveries();
    const announcedBefore = await announced();
    const sent = await burst(runtime, BURST, 'term');
    accepted.push(...sent);

    // Act
    const code = await runtime.terminate();
    const pidsAfterStop = enginePids(dataDir);
    rmSync(join(dataDir, 'stream-checkpoints.json'), { force: true });
    await runtime.start();
    await runtime.settled();

    // Assess: the stop was clean; the burst was finished once each, and the replay of every change since the first
    // start (the crashes' invoices included) announced and mailed nothing a second time.
    expect(code).toBe(0);
    expect(pidsAfterStop).toEqual([]);
    const { delivered, emails } = await deliveries();
    for (const invoiceId of sent) {
      expect(delivered.get(invoiceId), `DigitalProductDelivered for ${invoiceId}`).toBe(1);
      expect(emails.get(invoiceId), `emails for ${invoiceId}`).toBe(1);
    }
    for (const [invoiceId, count] of before.delivered) expect(delivered.get(invoiceId), `replayed ${invoiceId}`).toBe(count);
    for (const [invoiceId, count] of before.emails) expect(emails.get(invoiceId), `re-mailed ${invoiceId}`).toBe(count);
    expect(before.delivered.size).toBe(accepted.length - BURST);
    expect((await announced()).filter((invoiceId) => !sent.includes(invoiceId))).toEqual(announcedBefore);
    // And what was there before it is still there, on the same port: the customer's session, the product, the
    // link with its count, its log, and the link still downloads.
    const admin = { authorization: `Bearer ${await runtime.token('operator', 'downloads/admin')}` };
    const [after] = (await runtime.json('/downloads/customer', { headers: customer })).body.items;
    const products = (await runtime.json('/admin/products', { headers: admin })).body.items as { productId: string }[];
    const log = (await runtime.json(`/admin/links/${link?.id}/events`, { headers: admin })).body.items as { outcome: string }[];
    expect(runtime.output).toContain('/downloads/customer');
    expect(products.map((p) => p.productId)).toContain('demo-ebook');
    expect(after).toMatchObject({ id: link?.id, downloadCount: 1, downloadUrl: link?.downloadUrl });
    expect(log.map((e) => e.outcome)).toEqual(['ok']);
    expect((await fetch(link?.downloadUrl as string, { headers: customer, redirect: 'manual' })).status).toBe(302);
  }, 180_000);

  it('never delivered an event twice, nor sent a second email, across all the crashes', async () => {
    const { delivered, emails } = await deliveries();
    expect([...delivered.values()].every((n) => n === 1)).toBe(true);
    expect([...emails.values()].every((n) => n === 1)).toBe(true);
    expect(delivered.size).toBe(accepted.length);
    expect((await runtime.json('/_local/dead-letters')).body.items).toEqual([]);
  });
});
