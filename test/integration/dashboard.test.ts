import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FunctionName } from '../../functions/manifest';
import { localFunctions } from '../../local/functions';
import { localTableName } from '../../local/provision';
import { purchase, startTestRuntime, type TestSystem } from '../support/runtime';

/** Every batch the consumers of the dashboard were handed, to hand them over again. */
const delivered: { name: FunctionName; event: unknown }[] = [];
const functions = localFunctions();
const invoke = async (name: FunctionName, event: unknown) => {
  if (name === 'dashboard-aggregates' || name === 'email-events') delivered.push({ name, event });
  return functions.invoke(name, event);
};

let system: TestSystem;
const today = new Date().toISOString().slice(0, 10);

const linksOf = async (invoiceId: string) => (await system.request('GET', `/admin/invoices/${invoiceId}/downloads`, { admin: true })).json.items;
const download = (customerId: string, link: { downloadUrl: string }) =>
  system.request('GET', new URL(link.downloadUrl).pathname, { as: customerId, headers: { accept: 'application/json' } });
const dashboard = async (query = '') => (await system.request('GET', `/admin/dashboard${query}`, { admin: true })).json;

beforeAll(async () => {
  system = await startTestRuntime({ invoke });
  // A known log: three purchases (one to SES's bounce simulator), six downloads served, three refused of two kinds, one link flagged.
  const fileIds = [system.runtime.demo.fileId];
  await system.request('PUT', '/admin/products/guide', { admin: true, body: { name: 'Guide', fileIds, maxDownloadsPerLink: 2 } });
  await system.request('PUT', '/admin/products/course', { admin: true, body: { name: 'Course', fileIds, maxDownloadsPerLink: 10 } });
  await system.sendPayment('PaymentSucceeded', purchase('inv-dash-a', 'cust-a', ['guide']));
  await system.sendPayment('PaymentSucceeded', purchase('inv-dash-b', 'cust-b', ['course']));
  await system.sendPayment('PaymentSucceeded', {
    ...purchase('inv-dash-c', 'cust-c', ['course']),
    customerEmail: 'bounce@simulator.amazonses.com',
  });
  const [guide] = await linksOf('inv-dash-a');
  const [course] = await linksOf('inv-dash-b');
  for (let i = 0; i < 2; i++) expect((await download('cust-a', guide)).status).toBe(200);
  for (let i = 0; i < 4; i++) expect((await download('cust-b', course)).status).toBe(200);
  expect((await download('cust-a', guide)).status).toBe(410);
  expect((await download('cust-a', guide)).status).toBe(410);
  expect((await download('cust-b', guide)).status).toBe(403);
  // The sharing signals flag a link by setting flaggedAt once (another part of the system); here, by hand.
  const db = new DynamoDBClient({ region: 'us-east-1', endpoint: system.runtime.dynamodbEndpoint });
  await db.send(
    new UpdateItemCommand({
      TableName: localTableName('links'),
      Key: { id: { S: course.id } },
      UpdateExpression: 'SET flaggedAt = :at',
      ExpressionAttributeValues: { ':at': { S: new Date().toISOString() } },
    }),
  );
  db.destroy();
  await system.settled();
}, 120_000);
afterAll(() => system?.stop());

describe('the operator dashboard, from a replay of a known log', () => {
  it('counts the day’s downloads, refusals by reason, top products, the flagged link and the bounced email', async () => {
    // Act
    const view = await dashboard();

    // Assess
    expect(view.downloadsPerDay).toHaveLength(30);
    expect(view.downloadsPerDay.at(-1)).toEqual({ day: today, downloads: 6 });
    expect(view.downloadsPerDay.slice(0, -1).every((d: { downloads: number }) => d.downloads === 0)).toBe(true);
    expect(view.totals).toEqual({ downloads: 6, refusals: 3, flaggedLinks: 1, bouncedEmails: 1 });
    expect(view.refusalsByReason).toEqual([
      { reason: 'DOWNLOAD_LIMIT_REACHED', count: 2 },
      { reason: 'NOT_LINK_OWNER', count: 1 },
    ]);
    expect(view.topProducts).toEqual([
      { productId: 'course', downloads: 4 },
      { productId: 'guide', downloads: 2 },
    ]);
    expect(view.to).toBe(today);
  });

  it('the same stream batches and SES events handed over again count nothing twice', async () => {
    // Prepare
    const before = await dashboard();
    const batches = delivered.splice(0);
    expect(batches.filter((b) => b.name === 'dashboard-aggregates').length).toBeGreaterThan(0);

    // Act
    for (const batch of batches) await invoke(batch.name, batch.event);
    await system.settled();

    // Assess
    expect(await dashboard()).toEqual(before);
  });

  it('a window of a few days ends today; a window out of range is a 400, and only operators may read it', async () => {
    // Act
    const week = await dashboard('?days=7');
    const tooLong = await system.request('GET', '/admin/dashboard?days=91', { admin: true });
    const customer = await system.request('GET', '/admin/dashboard', { as: 'cust-a' });

    // Assess
    expect(week.downloadsPerDay).toHaveLength(7);
    expect(week.totals.downloads).toBe(6);
    expect(tooLong.status).toBe(400);
    expect(customer.status).toBe(403);
  });
});
