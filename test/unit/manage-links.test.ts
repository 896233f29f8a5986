import { describe, expect, it, vi } from 'vitest';
import type { Link } from '../../core/link';
import { LinkSigner } from '../../core/link-signer';
import { DEFAULT_SHARING_POLICY } from '../../core/sharing';
import { listCustomerDownloads } from '../../core/use-cases/list-downloads';
import { readLinkLog, regenerateInvoiceLinks, resetCustomerLinks, resetLink, revokeLink } from '../../core/use-cases/manage-links';
import { FakeInvoiceStore, FakeKeySource, FakeLinkLog, FakeLinkStore, FakeSharingStore } from '../support/fakes';
import { aLink } from '../support/links';

const NOW = '2026-06-01T12:00:00.000Z';
const OP = { sub: 'operator-1', now: NOW };
const A = 'AAAAAAAAAAAAAAAAAAAAAA';
const B = 'BBBBBBBBBBBBBBBBBBBBBB';

const setup = async (links: Link[] = [aLink()]) => {
  const store = new FakeLinkStore();
  await store.createMissing(links);
  const invoices = new FakeInvoiceStore();
  const linkLog = new FakeLinkLog();
  const sharing = new FakeSharingStore();
  const manager = {
    links: store,
    invoices,
    linkLog,
    signer: new LinkSigner(new FakeKeySource()),
    publicBaseUrl: 'https://shop.example.com',
    sharing: { store: sharing, policy: DEFAULT_SHARING_POLICY },
  };
  const log = () => [...linkLog.entries.values()].map((e) => ({ linkId: e.linkId, outcome: e.outcome, actor: e.actor, details: e.details }));
  return { store, invoices, linkLog, sharing, manager, log };
};

/** A paid invoice whose links `ids` were issued (generation 0). */
const delivered = async (s: Awaited<ReturnType<typeof setup>>, ids: string[], extra: { refunded?: string[] } = {}) => {
  await s.invoices.recordPurchase({
    invoiceId: 'inv-1',
    customerId: 'cust-1',
    customerEmail: null,
    productIds: ['ebook', 'zine'],
    allLinesDigital: true,
    now: NOW,
  });
  await s.invoices.recordState('inv-1', 'paid', `${NOW}#9`, NOW);
  await s.invoices.fixLinkIds('inv-1', 0, ids);
  await s.invoices.markLinksIssued('inv-1', 0, NOW);
  if (extra.refunded) await s.invoices.recordRefundedLines('inv-1', extra.refunded, NOW);
};

describe('an operator resetting one link', () => {
  it('logs the new expiry with the reset, and an expiry of never as null', async () => {
    // Prepare
    const s = await setup();

    // Act
    await resetLink(s.manager, A, { expiresInDays: 10 }, OP);
    await resetLink(s.manager, A, { expiresInDays: 0 }, OP);

    // Assess
    expect(s.log().map((e) => e.details)).toEqual(
      expect.arrayContaining([
        { resetCount: false, expiresAt: '2026-06-11T12:00:00.000Z' },
        { resetCount: false, expiresAt: null },
      ]),
    );
    expect(s.log()).toHaveLength(2);
  });

  it('keeps the flag, and says nothing of clearing it, when the link was flagged again while it was being reset', async () => {
    // Prepare: the link is flagged; between the reset and the lifting of the flag, a new flag replaces it.
    const s = await setup([aLink({ flaggedAt: '2026-06-01T10:00:00.000Z', flaggedNetworks: 6, expiresAt: null })]);
    const reset = s.store.reset.bind(s.store);
    s.store.reset = async (linkId, change) => {
      const after = await reset(linkId, change);
      Object.assign(s.store.items.get(linkId) as Link, { flaggedAt: '2026-06-01T11:59:00.000Z', flaggedNetworks: 7 });
      return after;
    };

    // Act
    const view = await resetLink(s.manager, A, {}, OP);

    // Assess
    expect(view?.sharing).toMatchObject({ flagged: true, flaggedNetworks: 7 });
    expect(s.log()).toEqual([{ linkId: A, outcome: 'reset', actor: 'operator-1', details: { resetCount: true } }]);
  });

  it('answers an unknown link 404 with its message', async () => {
    // Prepare
    const s = await setup([]);

    // Act + Assess
    const unknown = { kind: 'not_found', code: 'LINK_NOT_FOUND', message: 'No link with this id.' };
    await expect(resetLink(s.manager, A, {}, OP)).rejects.toMatchObject(unknown);
    await expect(revokeLink(s.manager, A, OP)).rejects.toMatchObject(unknown);
    await expect(readLinkLog(s.manager, A, { limit: 10 }, NOW)).rejects.toMatchObject(unknown);
    expect(s.linkLog.entries.size).toBe(0);
  });
});

describe('an operator resetting all of a customer’s links', () => {
  it('logs each link’s reset as a bulk one, with the new expiry when one was asked for', async () => {
    // Prepare
    const s = await setup([aLink(), aLink({ id: B })]);

    // Act
    await resetCustomerLinks(s.manager, 'cust-1', {}, OP);
    const first = s.log();
    s.linkLog.entries.clear();
    await resetCustomerLinks(s.manager, 'cust-1', { expiresInDays: 1 }, OP);

    // Assess
    expect(first).toEqual([
      { linkId: expect.any(String), outcome: 'reset', actor: 'operator-1', details: { resetCount: true, bulk: true } },
      { linkId: expect.any(String), outcome: 'reset', actor: 'operator-1', details: { resetCount: true, bulk: true } },
    ]);
    expect(first.map((e) => e.linkId).sort()).toEqual([A, B]);
    expect(s.log().map((e) => e.details)).toEqual([
      { resetCount: false, bulk: true, expiresAt: '2026-06-02T12:00:00.000Z' },
      { resetCount: false, bulk: true, expiresAt: '2026-06-02T12:00:00.000Z' },
    ]);
  });

  it('resets only the customer’s links, and skips one that went away after it was listed', async () => {
    // Prepare
    const s = await setup([aLink(), aLink({ id: B }), aLink({ id: 'CCCCCCCCCCCCCCCCCCCCCC', customerId: 'cust-2' })]);
    const listByCustomer = s.store.listByCustomer.bind(s.store);
    s.store.listByCustomer = async (customerId, request) => {
      const page = await listByCustomer(customerId, request);
      s.store.items.delete(B);
      return page;
    };
    const reset = vi.spyOn(s.store, 'reset');

    // Act
    const result = await resetCustomerLinks(s.manager, 'cust-1', {}, OP);

    // Assess
    expect(result).toEqual({ customerId: 'cust-1', updated: 1 });
    expect(reset.mock.calls.map(([id]) => id).sort()).toEqual([A, B]);
    expect(s.log().map((e) => e.linkId)).toEqual([A]);
    expect(await s.sharing.resetsOf('cust-1')).toBe(1);
  });

  it('counts no reset for a customer without links', async () => {
    // Prepare
    const s = await setup([]);

    // Act
    const result = await resetCustomerLinks(s.manager, 'cust-1', {}, OP);

    // Assess
    expect(result).toEqual({ customerId: 'cust-1', updated: 0 });
    expect(await s.sharing.resetsOf('cust-1')).toBe(0);
    expect(s.linkLog.entries.size).toBe(0);
  });
});

describe('an operator revoking a link', () => {
  it('revokes it for the operator’s reason, keeps it in the listings, logs who did it, and answers the operator’s view', async () => {
    // Prepare
    const s = await setup();
    const revoke = vi.spyOn(s.store, 'revoke');

    // Act
    const view = await revokeLink(s.manager, A, OP);

    // Assess
    expect(view).toMatchObject({ id: A, status: 'revoked', sharing: expect.any(Object) });
    expect(revoke.mock.calls).toEqual([[A, { at: NOW, reason: 'REVOKED_BY_OPERATOR', hide: false }]]);
    expect((await listCustomerDownloads(s.manager, 'cust-1', { limit: 10 }, NOW)).items.map((l) => [l.id, l.status])).toEqual([[A, 'revoked']]);
    expect(s.log()).toEqual([{ linkId: A, outcome: 'revoke', actor: 'operator-1', details: null }]);
  });
});

describe('an operator regenerating an invoice’s links', () => {
  it('records the new links on the invoice, issued, each carrying the payment state, and links old and new in both logs', async () => {
    // Prepare
    const s = await setup([aLink({ statusAt: `${NOW}#1`, stampText: null })]);
    await delivered(s, [A]);
    const revoke = vi.spyOn(s.store, 'revoke');

    // Act
    const result = await regenerateInvoiceLinks(s.manager, 'inv-1', OP);

    // Assess
    const fresh = result.items[0]?.id as string;
    expect(result).toMatchObject({ invoiceId: 'inv-1', nextCursor: null, items: [{ id: fresh, sharing: expect.any(Object) }] });
    expect(await s.invoices.get('inv-1')).toMatchObject({ generation: 1, linkIds: [fresh], linksIssuedAt: NOW });
    expect(s.store.items.get(fresh)).toMatchObject({ statusAt: `${NOW}#9`, createdAt: NOW, copyKey: null });
    expect(revoke.mock.calls).toEqual([[A, { at: NOW, reason: 'REGENERATED', hide: true }]]);
    expect(s.log()).toEqual([
      { linkId: A, outcome: 'regenerate', actor: 'operator-1', details: { generation: 1, replacedBy: fresh } },
      { linkId: fresh, outcome: 'issued-by-regeneration', actor: 'operator-1', details: { generation: 1, replaces: A } },
    ]);
  });

  it('issues nothing again for a partially refunded product: its link stays revoked', async () => {
    // Prepare
    const s = await setup([aLink(), aLink({ id: B, productId: 'zine', status: 'revoked' })]);
    await delivered(s, [A, B], { refunded: ['zine'] });

    // Act
    const result = await regenerateInvoiceLinks(s.manager, 'inv-1', OP);

    // Assess
    expect(result.items.map((l) => l.productId)).toEqual(['ebook']);
    expect((await s.invoices.get('inv-1'))?.linkIds).toHaveLength(1);
    expect(s.store.items.get(B)?.status).toBe('revoked');
  });

  it('gives a stamped link’s replacement its own copy key', async () => {
    // Prepare
    const s = await setup([aLink({ stampText: 'For {email}', copyKey: 'old-copy', copyVersion: 1 })]);
    await delivered(s, [A]);

    // Act
    const result = await regenerateInvoiceLinks(s.manager, 'inv-1', OP);

    // Assess
    const fresh = s.store.items.get(result.items[0]?.id as string);
    expect(fresh).toMatchObject({ stampText: 'For {email}', copyVersion: null });
    expect(fresh?.copyKey).toEqual(expect.any(String));
    expect(fresh?.copyKey).not.toBe('old-copy');
  });

  it('lets one of two concurrent regenerations win; the other is refused and issues nothing', async () => {
    // Prepare
    const s = await setup();
    await delivered(s, [A]);

    // Act
    const outcomes = await Promise.allSettled([regenerateInvoiceLinks(s.manager, 'inv-1', OP), regenerateInvoiceLinks(s.manager, 'inv-1', OP)]);

    // Assess
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ kind: 'conflict', code: 'CONCURRENT_CHANGE', message: 'The invoice changed meanwhile; try again.' });
    expect(s.store.items.size).toBe(2);
    expect((await s.invoices.get('inv-1'))?.generation).toBe(1);
  });

  it('explains why it refuses an unknown, refunded or held invoice', async () => {
    // Prepare
    const s = await setup();
    await delivered(s, [A]);

    // Act + Assess
    await expect(regenerateInvoiceLinks(s.manager, 'inv-404', OP)).rejects.toMatchObject({
      kind: 'not_found',
      code: 'INVOICE_NOT_FOUND',
      message: 'No invoice with download links under this id.',
    });
    await s.invoices.recordState('inv-1', 'on_hold', '2026-06-02T00:00:00.000Z#1', NOW);
    await expect(regenerateInvoiceLinks(s.manager, 'inv-1', OP)).rejects.toMatchObject({
      code: 'ORDER_ON_HOLD',
      message: 'The order is on hold: regenerate once the payment clears.',
    });
    await s.invoices.recordState('inv-1', 'refunded', '2026-06-03T00:00:00.000Z#1', NOW);
    await expect(regenerateInvoiceLinks(s.manager, 'inv-1', OP)).rejects.toMatchObject({
      code: 'INVOICE_REFUNDED',
      message: 'The invoice was refunded: its links cannot be regenerated.',
    });
  });
});
