import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkoutSession, shopifyEvent, shopifyOrder, shopifyRefund, stripeEvent, wooOrder } from '../support/connector-samples';
import { connectorsExamples } from '../../local/connectors-banner';
import { startTestRuntime, type TestSystem } from '../support/runtime';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

let system: TestSystem;
let stripeFake: Server;
const stripeRequests: { path: string; authorization: string | undefined }[] = [];

const recent = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();

/** The one Stripe endpoint the connector calls, as Stripe answers it: a list of line items with their price's product. */
const startStripeFake = async () => {
  const server = createServer((req, res) => {
    stripeRequests.push({ path: req.url ?? '', authorization: req.headers.authorization });
    const match = /^\/v1\/checkout\/sessions\/(cs_[A-Za-z0-9_]+)\/line_items/.exec(req.url ?? '');
    res.setHeader('content-type', 'application/json');
    if (!match) {
      res.statusCode = 404;
      res.end(JSON.stringify({ error: { type: 'invalid_request_error', message: 'No such checkout session' } }));
      return;
    }
    res.end(
      JSON.stringify({
        object: 'list',
        url: `/v1/checkout/sessions/${match[1]}/line_items`,
        has_more: false,
        data: [
          {
            id: 'li_1NxCGq2eZvKYlo2C6wnZJd2V',
            object: 'item',
            amount_subtotal: 2000,
            amount_total: 2000,
            currency: 'usd',
            description: 'E-book',
            quantity: 1,
            price: { id: 'price_1NxCGa2eZvKYlo2C8YeFNrJS', object: 'price', product: 'prod_Ebook1', type: 'one_time', unit_amount: 2000 },
          },
          {
            id: 'li_1NxCGq2eZvKYlo2C6wnZJd2W',
            object: 'item',
            quantity: 1,
            price: { id: 'price_1NxCGa2eZvKYlo2C8YeFNrJT', object: 'price', product: 'prod_Mug', type: 'one_time', unit_amount: 900 },
          },
        ],
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
};

const putPartnerEvent = async (event: { source: string; 'detail-type': string; detail: unknown }) => {
  const out = await system.events.send(
    new PutEventsCommand({ Entries: [{ Source: event.source, DetailType: event['detail-type'], Detail: JSON.stringify(event.detail) }] }),
  );
  expect(out.FailedEntryCount).toBe(0);
  await system.settled();
};

const linksOf = async (invoiceId: string, customerId: string) => {
  const answer = await system.request('GET', `/downloads/invoice/${encodeURIComponent(invoiceId)}`, { as: customerId });
  return answer.status === 200 ? (answer.json.items as { id: string; productId: string; status: string; downloadUrl: string }[]) : [];
};

const postWoo = (body: string, options: { secret?: string; topic?: string; deliveryId?: string } = {}) =>
  system.request('POST', '/webhooks/woocommerce', {
    rawBody: body,
    headers: {
      'content-type': 'application/json',
      'x-wc-webhook-source': 'https://woo.example.com/',
      'x-wc-webhook-topic': options.topic ?? 'order.created',
      'x-wc-webhook-resource': 'order',
      'x-wc-webhook-event': 'created',
      'x-wc-webhook-id': '15',
      'x-wc-webhook-delivery-id': options.deliveryId ?? 'a9b8c7d6',
      'x-wc-webhook-signature': createHmac('sha256', options.secret ?? system.runtime.woocommerceWebhookSecret)
        .update(body)
        .digest('base64'),
    },
  });

beforeAll(async () => {
  stripeFake = await startStripeFake();
  // The functions read their configuration once: the real Stripe SDK talks to the fake from the start.
  process.env.STRIPE_API_BASE = `http://127.0.0.1:${(stripeFake.address() as AddressInfo).port}`;
  process.env.STRIPE_SECRET_KEY = 'sk_test_local_fake';
  system = await startTestRuntime();
  const demo = system.runtime.demo;
  const admin = { admin: true };
  const ebook = await system.request('PUT', `/admin/products/${demo.productId}`, {
    ...admin,
    body: { externalIds: ['shopify:product:8123456789012', 'stripe:product:prod_Ebook1', 'woo:product:93'] },
  });
  expect(ebook.status).toBe(200);
  const poster = await system.request('PUT', '/admin/products/poster-pdf', {
    ...admin,
    body: { name: 'Poster (PDF)', fileIds: ebook.json.fileIds, externalIds: ['shopify:product:8123456789013'] },
  });
  expect(poster.status).toBe(200);
});
afterAll(async () => {
  await system?.stop();
  stripeFake?.close();
});

describe('product external ids', () => {
  it('one external id names one product: a second product claiming it is a 409 and is not created', async () => {
    // Act
    const answer = await system.request('PUT', '/admin/products/copycat', { admin: true, body: { externalIds: ['woo:product:93'] } });
    const copycat = await system.request('GET', '/admin/products/copycat', { admin: true });

    // Assess
    expect(answer.status).toBe(409);
    expect(answer.json.error.code).toBe('EXTERNAL_ID_TAKEN');
    expect(answer.json.error.message).toContain(system.runtime.demo.productId);
    expect(copycat.status).toBe(404);
  });

  it('refuses an external id in no known format with a 400', async () => {
    // Act
    const answer = await system.request('PUT', '/admin/products/odd', { admin: true, body: { externalIds: ['amazon:product:1'] } });

    // Assess
    expect(answer.status).toBe(400);
  });
});

describe('the Shopify connector, through the local bus', () => {
  const order = () => shopifyOrder({ updated_at: recent(30), processed_at: recent(30), created_at: recent(31) });
  const customer = 'shopify:7012345678901';
  const invoice = 'shopify:5512345678901';

  it('orders/paid yields links of the mapped products that the customer downloads, and a replay adds nothing', async () => {
    // Act
    await putPartnerEvent(shopifyEvent('orders/paid', order()));
    const first = await linksOf(invoice, customer);
    await putPartnerEvent(shopifyEvent('orders/paid', order()));
    const replayed = await linksOf(invoice, customer);
    const download = first[0] ? await system.request('GET', new URL(first[0].downloadUrl).pathname, { as: customer }) : undefined;

    // Assess
    expect(first.map((l) => l.productId).sort()).toEqual([system.runtime.demo.productId, 'poster-pdf'].sort());
    expect(replayed.map((l) => l.id).sort()).toEqual(first.map((l) => l.id).sort());
    expect(download?.status).toBe(302);
  });

  it("refunds/create for one of two lines revokes only that line's links", async () => {
    // Act
    await putPartnerEvent(shopifyEvent('refunds/create', shopifyRefund({ created_at: recent(10), processed_at: recent(10) })));
    const links = await linksOf(invoice, customer);

    // Assess
    expect(Object.fromEntries(links.map((l) => [l.productId, l.status]))).toEqual({ [system.runtime.demo.productId]: 'revoked', 'poster-pdf': 'active' });
  });

  it('orders/cancelled then revokes the rest of the order', async () => {
    // Act
    await putPartnerEvent(shopifyEvent('orders/cancelled', order(), 'wh-cancel'));
    await putPartnerEvent(
      shopifyEvent('orders/cancelled', { ...order(), cancelled_at: recent(5), updated_at: recent(5), cancel_reason: 'customer' }, 'wh-cancel-2'),
    );
    const links = await linksOf(invoice, customer);

    // Assess
    expect(links.map((l) => l.status)).toEqual(['revoked', 'revoked']);
  });

  it('an unknown topic is parked in the dead letters with its reason and changes nothing', async () => {
    // Act
    await putPartnerEvent(shopifyEvent('orders/fulfilled', { ...order(), id: 5512345678999 }, 'wh-unknown-topic'));

    // Assess
    const parked = system.runtime.deadLetters.list().find((l) => l.reason.includes('orders/fulfilled'));
    expect(parked?.source).toBe('storefront-events');
    expect(await linksOf('shopify:5512345678999', customer)).toEqual([]);
  });
});

describe('the WooCommerce webhook', () => {
  it('answers the creation ping with 200', async () => {
    // Act
    const answer = await system.request('POST', '/webhooks/woocommerce', {
      rawBody: 'webhook_id=15',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });

    // Assess
    expect(answer.status).toBe(200);
  });

  it('a signed order delivers the mapped product to woo:<customer_id>, and a replay adds nothing', async () => {
    // Prepare
    const body = JSON.stringify(wooOrder({ date_modified_gmt: recent(20).slice(0, 19), date_created_gmt: recent(21).slice(0, 19) }));

    // Act
    const answer = await postWoo(body);
    await system.settled();
    const first = await linksOf('woo:727', 'woo:26');
    const replay = await postWoo(body);
    await system.settled();
    const after = await linksOf('woo:727', 'woo:26');

    // Assess
    expect(answer.status).toBe(200);
    expect(replay.status).toBe(200);
    expect(first.map((l) => l.productId)).toEqual([system.runtime.demo.productId]);
    expect(after.map((l) => l.id)).toEqual(first.map((l) => l.id));
  });

  it('a wrong signature is a 401 that writes nothing', async () => {
    // Prepare
    const body = JSON.stringify(wooOrder({ id: 728, date_modified_gmt: recent(5).slice(0, 19) }));

    // Act
    const answer = await postWoo(body, { secret: 'not-the-secret' });
    await system.settled();

    // Assess
    expect(answer.status).toBe(401);
    expect(answer.json.error.code).toBe('INVALID_SIGNATURE');
    expect(await linksOf('woo:728', 'woo:26')).toEqual([]);
  });

  it('a truncated body fails its signature: 401, and nothing written', async () => {
    // Prepare
    const body = JSON.stringify(wooOrder({ id: 729, date_modified_gmt: recent(5).slice(0, 19) }));
    const signature = createHmac('sha256', system.runtime.woocommerceWebhookSecret).update(body).digest('base64');

    // Act
    const answer = await system.request('POST', '/webhooks/woocommerce', {
      rawBody: body.slice(0, 100),
      headers: { 'content-type': 'application/json', 'x-wc-webhook-topic': 'order.created', 'x-wc-webhook-signature': signature },
    });

    // Assess
    expect(answer.status).toBe(401);
    expect(await linksOf('woo:729', 'woo:26')).toEqual([]);
  });

  it('a signed order of more than 10,000 lines is parked with its reason and writes nothing; a large real order is taken', async () => {
    // Prepare
    const line = { product_id: 93, quantity: 1 };
    const huge = JSON.stringify(wooOrder({ id: 730, date_modified_gmt: recent(5).slice(0, 19), line_items: Array.from({ length: 10_001 }, () => line) }));
    const meta = Array.from({ length: 8 }, (_, i) => ({ id: i, key: `_meta_${i}`, value: 'x'.repeat(80) }));
    const large = JSON.stringify(
      wooOrder({
        id: 731,
        date_modified_gmt: recent(5).slice(0, 19),
        line_items: Array.from({ length: 300 }, (_, i) => ({ id: i + 1, product_id: 93, quantity: 1, meta_data: meta })),
      }),
    );

    // Act
    const parked = await postWoo(huge, { deliveryId: 'huge-1' });
    const taken = await postWoo(large, { deliveryId: 'large-1' });
    await system.settled();

    // Assess
    expect(large.length).toBeGreaterThan(64 * 1024);
    expect(parked.status).toBe(200);
    expect(parked.json.reason).toContain('more than 10000 line items');
    expect(await linksOf('woo:730', 'woo:26')).toEqual([]);
    expect(taken.status).toBe(200);
    expect((await linksOf('woo:731', 'woo:26')).map((l) => l.productId)).toEqual([system.runtime.demo.productId]);
  });

  it('a signed webhook of an unknown topic is parked with its reason, answered 200 so WooCommerce does not retry it', async () => {
    // Act
    const answer = await postWoo(JSON.stringify({ id: 5, name: 'A coupon' }), { topic: 'coupon.created', deliveryId: 'coupon-1' });

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.json.status).toBe('parked');
    expect(system.runtime.deadLetters.list().some((l) => l.source === 'woocommerce-webhook' && l.reason.includes('coupon.created'))).toBe(true);
  });
});

describe('the Stripe connector, through the local bus and the real Stripe SDK', () => {
  it('checkout.session.completed delivers the mapped product with the line items served by the fake Stripe API', async () => {
    // Prepare
    const session = checkoutSession({ payment_intent: 'pi_3LocalTest000001', client_reference_id: 'customer-stripe-1' });

    // Act
    await putPartnerEvent(stripeEvent('checkout.session.completed', session, { created: Math.floor(Date.now() / 1000) - 600 }));
    const links = await linksOf('stripe:pi_3LocalTest000001', 'customer-stripe-1');

    // Assess
    expect(
      stripeRequests.some((r) => r.path.startsWith(`/v1/checkout/sessions/${session.id}/line_items`) && r.authorization === 'Bearer sk_test_local_fake'),
    ).toBe(true);
    expect(links.map((l) => l.productId)).toEqual([system.runtime.demo.productId]);
    expect(links[0]?.status).toBe('active');
  });

  it('charge.dispute.created suspends the links and a lost dispute revokes them', async () => {
    // Prepare
    const now = Math.floor(Date.now() / 1000);
    const dispute = {
      id: 'dp_1LocalTest',
      object: 'dispute',
      charge: 'ch_1LocalTest',
      payment_intent: 'pi_3LocalTest000001',
      reason: 'fraudulent',
      status: 'needs_response',
    };

    // Act
    await putPartnerEvent(stripeEvent('charge.dispute.created', dispute, { id: 'evt_1LocalDispute1', created: now - 300 }));
    const held = await linksOf('stripe:pi_3LocalTest000001', 'customer-stripe-1');
    await putPartnerEvent(stripeEvent('charge.dispute.closed', { ...dispute, status: 'lost' }, { id: 'evt_1LocalDispute2', created: now - 200 }));
    const lost = await linksOf('stripe:pi_3LocalTest000001', 'customer-stripe-1');

    // Assess
    expect(held.map((l) => l.status)).toEqual(['suspended']);
    expect(lost.map((l) => l.status)).toEqual(['revoked']);
  });
});

describe('the examples npm start prints', () => {
  it('sell the demo product through Shopify and WooCommerce, as printed', async () => {
    // Prepare: the shell of a new user, with API and ADMIN set as the walkthrough sets them
    const printed = connectorsExamples({ productId: system.runtime.demo.productId, wooSecret: system.runtime.woocommerceWebhookSecret });
    const script = printed.slice(0, printed.indexOf('# Stripe'));
    const env = { ...process.env, API: system.url, ADMIN: await system.adminToken() };

    // Act
    const output = await new Promise<string>((resolve, reject) =>
      execFile('bash', ['-eu', '-o', 'pipefail', '-c', script], { env, cwd: REPO_ROOT, timeout: 60_000 }, (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
      ),
    );
    await system.settled();

    // Assess
    expect(output).toContain('"status":"applied"');
    expect((await linksOf('shopify:3001', 'shopify:2001')).map((l) => l.productId)).toEqual([system.runtime.demo.productId]);
    expect((await linksOf('woo:4001', 'woo:26')).map((l) => l.productId)).toEqual([system.runtime.demo.productId]);
  });
});
