import { describe, expect, it } from 'vitest';
import type { ConnectorEvent, Translation } from '../../core/connectors/types';
import { applyProductSettings } from '../../core/product';
import { applyStorefrontEvent, type CheckoutLineItems } from '../../core/use-cases/apply-storefront-event';
import { FakeCatalogStore, FakeInvoiceStore, FakeLinkStore, readyFile } from '../support/fakes';

// The use case alone, fed translations as a connector makes them (the connectors' own tests: connectors*.test.ts).
const NOW = new Date('2026-03-03T00:00:00Z');
const AT = '2026-03-02T10:00:00.000Z';

/** Two digital products, each named by one storefront id; the catalog's external-id reads recorded. */
const shop = async () => {
  const catalog = new FakeCatalogStore();
  for (const [productId, externalId] of [
    ['ebook', 'shop:product:1'],
    ['poster', 'shop:product:2'],
  ] as const) {
    await catalog.putFile(readyFile(`${productId}-file`));
    catalog.put(
      applyProductSettings(productId, { fileIds: [`${productId}-file`], externalIds: [externalId] }, undefined, { now: NOW.toISOString(), by: 'op' }),
    );
  }
  return { catalog, invoices: new FakeInvoiceStore(), links: new FakeLinkStore(), lookups: catalog.externalIdLookups };
};

const events = (...list: ConnectorEvent[]): Translation => ({ outcome: 'events', provider: 'shopify', deliveryId: 'delivery-1', events: list });

const paid = (lines: Extract<ConnectorEvent, { type: 'PaymentSucceeded' }>['lines'], invoiceId = 'shop:1'): ConnectorEvent => ({
  type: 'PaymentSucceeded',
  invoiceId,
  customerId: 'shop:customer',
  customerEmail: 'buyer@example.com',
  occurredAt: AT,
  lines,
});

const linkProducts = (deps: Awaited<ReturnType<typeof shop>>) => [...deps.links.items.values()].map((l) => `${l.productId}:${l.status}`).sort();

describe('applying a storefront event', () => {
  it('passes a park or an ignored translation on with its reason, reading and writing nothing', async () => {
    // Prepare
    const deps = await shop();

    // Act
    const parked = await applyStorefrontEvent(deps, { outcome: 'park', provider: 'stripe', reason: 'unknown type' }, NOW);
    const ignored = await applyStorefrontEvent(deps, { outcome: 'ignored', provider: 'stripe', deliveryId: 'd', reason: 'a ping' }, NOW);

    // Assess
    expect(parked).toEqual({ outcome: 'park', reason: 'unknown type' });
    expect(ignored).toEqual({ outcome: 'ignored', reason: 'a ping' });
    expect(deps.lookups).toEqual([]);
    expect(deps.invoices.calls).toEqual({ reads: 0, writes: 0 });
  });

  it('names each line by the product its storefront id maps to, in one catalog read of the distinct ids', async () => {
    // Prepare
    const deps = await shop();

    // Act
    const outcome = await applyStorefrontEvent(
      deps,
      events(paid([{ externalId: 'shop:product:1', quantity: 2 }, { externalId: 'shop:product:1' }, { externalId: 'shop:product:9', quantity: null }])),
      NOW,
    );

    // Assess
    expect(deps.lookups).toEqual([['shop:product:1', 'shop:product:9']]);
    expect(outcome).toEqual({
      outcome: 'applied',
      deliveryId: 'delivery-1',
      results: [{ outcome: 'recorded', state: 'paid', linkCount: 1, type: 'PaymentSucceeded', invoiceId: 'shop:1' }],
    });
    // The unmapped line stays named by its storefront id: a physical good. The units add up per product.
    expect(await deps.invoices.get('shop:1')).toMatchObject({
      productIds: ['ebook', 'shop:product:9'],
      quantities: { ebook: 3, 'shop:product:9': 1 },
      allLinesDigital: false,
    });
  });

  it('buys nothing with a line of quantity 0', async () => {
    // Prepare
    const deps = await shop();

    // Act
    const outcome = await applyStorefrontEvent(deps, events(paid([{ externalId: 'shop:product:1', quantity: 0 }])), NOW);

    // Assess
    expect(outcome).toMatchObject({ outcome: 'applied', results: [{ outcome: 'no-digital-lines' }] });
    expect(deps.links.items.size).toBe(0);
  });

  it('asks the catalog nothing for a hold or a whole refund, and applies them to the invoice', async () => {
    // Prepare
    const deps = await shop();
    await applyStorefrontEvent(deps, events(paid([{ externalId: 'shop:product:1' }])), NOW);
    deps.lookups.length = 0;

    // Act
    const held = await applyStorefrontEvent(deps, events({ type: 'PaymentOnHold', invoiceId: 'shop:1', occurredAt: '2026-03-02T11:00:00Z' }), NOW);
    const refunded = await applyStorefrontEvent(deps, events({ type: 'PaymentRefunded', invoiceId: 'shop:1', occurredAt: '2026-03-02T12:00:00Z' }), NOW);

    // Assess
    expect(deps.lookups).toEqual([]);
    expect(held).toMatchObject({ outcome: 'applied', results: [{ outcome: 'recorded', state: 'on_hold', type: 'PaymentOnHold', invoiceId: 'shop:1' }] });
    expect(refunded).toMatchObject({ outcome: 'applied', results: [{ outcome: 'recorded', state: 'refunded', type: 'PaymentRefunded' }] });
    expect(linkProducts(deps)).toEqual(['ebook:revoked']);
  });

  it('revokes only the products a partial refund names, mapped from their storefront ids', async () => {
    // Prepare
    const deps = await shop();
    await applyStorefrontEvent(deps, events(paid([{ externalId: 'shop:product:1' }, { externalId: 'shop:product:2' }])), NOW);
    deps.lookups.length = 0;

    // Act
    const outcome = await applyStorefrontEvent(
      deps,
      events({ type: 'PaymentRefunded', invoiceId: 'shop:1', occurredAt: '2026-03-02T12:00:00Z', lines: [{ externalId: 'shop:product:2', quantity: 1 }] }),
      NOW,
    );

    // Assess
    expect(deps.lookups).toEqual([['shop:product:2']]);
    expect(outcome).toMatchObject({ outcome: 'applied', results: [{ outcome: 'recorded', state: 'paid', linkCount: 2 }] });
    expect(linkProducts(deps)).toEqual(['ebook:active', 'poster:revoked']);
    expect((await deps.invoices.get('shop:1'))?.state).toBe('paid');
  });

  it("reads a Checkout Session's lines through the port, as stripe:product ids with their quantities", async () => {
    // Prepare
    const deps = await shop();
    deps.catalog.externalIds.set('stripe:product:prod_A', 'ebook');
    const asked: string[] = [];
    const checkoutLineItems: CheckoutLineItems = {
      linesOf: async (sessionId) => {
        asked.push(sessionId);
        return [
          { product: 'prod_A', quantity: 2 },
          { product: 'prod_Physical', quantity: null },
        ];
      },
    };

    // Act
    const outcome = await applyStorefrontEvent({ ...deps, checkoutLineItems }, events(paid({ checkoutSession: 'cs_test_1' })), NOW);

    // Assess
    expect(asked).toEqual(['cs_test_1']);
    expect(deps.lookups).toEqual([['stripe:product:prod_A', 'stripe:product:prod_Physical']]);
    expect(outcome).toMatchObject({ outcome: 'applied', results: [{ outcome: 'recorded', linkCount: 1 }] });
    expect(await deps.invoices.get('shop:1')).toMatchObject({ quantities: { ebook: 2, 'stripe:product:prod_Physical': 1 } });
  });

  it('fails, applying nothing, when a Checkout Session must be read and no Stripe client is configured', async () => {
    // Prepare
    const deps = await shop();

    // Act
    const applying = applyStorefrontEvent(deps, events(paid({ checkoutSession: 'cs_test_1' })), NOW);

    // Assess
    await expect(applying).rejects.toThrow('no Stripe client is configured for Checkout Session line items');
    expect(deps.invoices.items.size).toBe(0);
  });

  it("parks the whole translation, naming the provider and the payment schema's reason, when any event is malformed", async () => {
    // Prepare
    const deps = await shop();

    // Act
    const outcome = await applyStorefrontEvent(
      deps,
      events(paid([{ externalId: 'shop:product:1' }], 'shop:1'), { ...paid([{ externalId: 'shop:product:2' }], 'shop:2'), occurredAt: '2026-03-05T00:00:01Z' }),
      NOW,
    );

    // Assess
    expect(outcome).toEqual({
      outcome: 'park',
      reason: "shopify: invalid PaymentSucceeded detail: occurredAt 2026-03-05T00:00:01Z is more than 24 hours ahead of the receiver's clock",
    });
    expect(deps.invoices.items.size).toBe(0);
    expect(deps.links.items.size).toBe(0);
  });

  it('applies every event of a translation, in order, each result named by its type and invoice', async () => {
    // Prepare
    const deps = await shop();

    // Act
    const outcome = await applyStorefrontEvent(
      deps,
      events(paid([{ externalId: 'shop:product:1' }], 'shop:1'), {
        type: 'PaymentOnHold',
        invoiceId: 'shop:1',
        occurredAt: '2026-03-02T11:00:00Z',
        reason: 'dispute',
      }),
      NOW,
    );

    // Assess
    expect(outcome).toMatchObject({
      outcome: 'applied',
      results: [
        { type: 'PaymentSucceeded', invoiceId: 'shop:1', state: 'paid' },
        { type: 'PaymentOnHold', invoiceId: 'shop:1', state: 'on_hold' },
      ],
    });
    expect(linkProducts(deps)).toEqual(['ebook:suspended']);
  });
});
