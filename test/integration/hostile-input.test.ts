import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTTP_ROUTES } from '../../functions/manifest';
import { startTestRuntime, type TestSystem } from '../support/runtime';

let system: TestSystem;

beforeAll(async () => {
  system = await startTestRuntime();
});
afterAll(() => system?.stop());

const nasty = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '..',
    '../../etc/passwd',
    '%2e%2e%2f',
    'a\r\nSet-Cookie: x=1',
    '\u0000',
    '💥'.repeat(30),
    'x'.repeat(3000),
    "' OR 1=1 --",
    '{"$ne":null}',
    `k1.AAAAAAAAAAAAAAAAAAAAAA.${'A'.repeat(43)}`,
  ),
);
const jsonValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.record({ fileName: nasty, size: fc.oneof(fc.integer(), fc.double(), fc.string()), key: nasty, parts: fc.anything({ maxDepth: 2 }) }),
);

/** Fills a route template's parameters, each URL-encoded as a client would send it. */
const pathOf = (template: string, values: string[]) => {
  let i = 0;
  return template.replace(/\{\w+\}/g, () => encodeURIComponent(values[i++] ?? 'x') || 'x');
};

describe('hostile input on every route', () => {
  it('random and adversarial paths, queries, bodies and headers get a 4xx JSON error or a success, never a 500', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...HTTP_ROUTES),
        fc.array(nasty, { minLength: 3, maxLength: 3 }),
        fc.dictionary(fc.constantFrom('limit', 'cursor', 'prefix', 'q', 'email', 'status', 'x'), nasty, { maxKeys: 3 }),
        fc.oneof(
          jsonValue.map((v) => JSON.stringify(v)),
          nasty,
        ),
        fc.constantFrom('application/json', 'text/plain', 'application/json; charset=utf-8', 'multipart/form-data', ''),
        async (route, params, query, body, contentType) => {
          const [method = 'GET', template = '/'] = route.routeKey.split(' ');
          const search = new URLSearchParams(query).toString();
          const response = await system.request(method, `${pathOf(template, params)}${search ? `?${search}` : ''}`, {
            ...(route.access === 'admin' ? { admin: true } : { as: 'cust-fuzz' }),
            ...(method === 'GET' ? {} : { rawBody: body }),
            headers: contentType ? { 'content-type': contentType } : {},
          });
          expect(response.status, `${route.routeKey} → ${response.status} ${response.text.slice(0, 200)}`).toBeLessThan(500);
          if (response.status >= 400) expect(typeof response.json?.error?.code).toBe('string');
        },
      ),
      { numRuns: 250, seed: 42 },
    );
  });

  it('random payment events are applied, rejected by the bus, or parked with a reason: the system never crashes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('PaymentSucceeded', 'PaymentOnHold', 'PaymentRefunded', 'Unknown'),
        fc.oneof(
          fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
          fc
            .record({
              invoiceId: nasty,
              customerId: fc.option(nasty),
              occurredAt: fc.oneof(
                nasty,
                fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
              ),
              lines: fc.anything({ maxDepth: 2 }),
            })
            .map((v) => JSON.stringify(v)),
          nasty,
        ),
        async (detailType, detail) => {
          const before = (await system.request('GET', '/_local/dead-letters')).json.items.length;
          const out = await system.sendPayment(detailType, detail);
          const after = (await system.request('GET', '/_local/dead-letters')).json.items as { reason: string }[];
          const refusedByBus = out.FailedEntryCount === 1;
          const parkedNow = after.slice(before);
          // Refused by the bus (nothing reaches a dead letter), or accepted: applied (nothing parked) or parked once, with a reason.
          expect(parkedNow.length).toBeLessThanOrEqual(refusedByBus ? 0 : 1);
          expect(parkedNow.every((letter) => /\w+/.test(letter.reason))).toBe(true);
          expect((await system.request('GET', '/downloads/customer', { as: 'cust-fuzz' })).status).toBe(200);
        },
      ),
      { numRuns: 60, seed: 7 },
    );
    const parked = (await system.request('GET', '/_local/dead-letters')).json.items as { source: string }[];
    // Only validation parks payment events: nothing failed three times in a row.
    expect(parked.every((p) => p.source === 'payment-events')).toBe(true);
  });
});
