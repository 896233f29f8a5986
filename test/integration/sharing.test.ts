import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FunctionName } from '../../functions/manifest';
import { localFunctions } from '../../local/functions';
import { purchase, startTestRuntime, type TestSystem } from '../support/runtime';

let system: TestSystem;
const functions = localFunctions();
/** Every batch the links stream handed to link-log, to hand it over again (a replay). */
const linkLogBatches: unknown[] = [];

beforeAll(async () => {
  system = await startTestRuntime({
    invoke: (name: FunctionName, event: unknown) => {
      if (name === 'link-log') linkLogBatches.push(structuredClone(event));
      return functions.invoke(name, event);
    },
  });
});
afterAll(() => system?.stop());

const linkOf = async (customerId: string, productId: string) => {
  const view = await system.request('GET', `/admin/customers/${customerId}/downloads`, { admin: true });
  expect(view.status).toBe(200);
  return { view: view.json, link: view.json.items.find((l: { productId: string }) => l.productId === productId) };
};

const flagsOf = (linkId: string) => system.runtime.bus.history({ detailType: 'LinkFlagged' }).filter((e) => (e.detail as { linkId: string }).linkId === linkId);

describe('sharing signals', () => {
  it('a link downloaded from 10 different networks shows up flagged with its evidence, announced once even when the stream is replayed', async () => {
    // Prepare
    const put = await system.request('PUT', '/admin/products/shared-book', {
      admin: true,
      body: { name: 'Shared Book', fileIds: [system.runtime.demo.fileId] },
    });
    expect(put.json.suspendOnSharing).toBe(false);
    await system.sendPayment('PaymentSucceeded', purchase('inv-share-1', 'sharer-1', ['shared-book']));
    const { link: bought } = await linkOf('sharer-1', 'shared-book');

    // Act
    const answers = [];
    for (let n = 1; n <= 10; n++) answers.push((await system.downloadFrom(n, 'sharer-1', bought.downloadUrl)).status);
    await system.settled();
    const { link, view } = await linkOf('sharer-1', 'shared-book');
    const announced = flagsOf(bought.id);
    const batches = linkLogBatches.splice(0);
    for (const batch of batches) await functions.invoke('link-log', batch);
    await system.settled();
    const replayed = await linkOf('sharer-1', 'shared-book');
    const log = await system.request('GET', `/admin/links/${bought.id}/events`, { admin: true });

    // Assess: every download served (flagging alone suspends nothing), the flag with its evidence, one event
    expect(answers).toEqual(Array(10).fill(200));
    expect(link.status).toBe('active');
    expect(link.sharing).toMatchObject({ networks: 10, userAgents: 10, flagged: true, suspended: false });
    expect(link.sharing.flaggedNetworks).toBeGreaterThanOrEqual(6);
    expect(link.sharing.evidence.map((e: { network: string }) => e.network).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `127.0.${i + 1}.0/24`).sort());
    expect(view.customer).toEqual({ customerId: 'sharer-1', resets: 0 });
    expect(announced).toHaveLength(1);
    expect(announced[0]?.detail).toMatchObject({ linkId: bought.id, customerId: 'sharer-1', networks: link.sharing.flaggedNetworks, suspended: false });
    expect(batches.length).toBeGreaterThan(0);
    expect(flagsOf(bought.id)).toHaveLength(1);
    expect(replayed.link.sharing).toEqual(link.sharing);
    expect(log.json.sharing).toEqual(link.sharing);
    expect(log.json.items.filter((e: { outcome: string }) => e.outcome === 'ok')).toHaveLength(10);
    expect(system.runtime.deadLetters.list()).toEqual([]);
  });

  it('suspends a flagged link of a product that says suspendOnSharing until an operator resets it; the reset is counted for the customer', async () => {
    // Prepare
    await system.request('PUT', '/admin/products/guarded-book', {
      admin: true,
      body: { name: 'Guarded Book', fileIds: [system.runtime.demo.fileId], suspendOnSharing: true },
    });
    await system.sendPayment('PaymentSucceeded', purchase('inv-share-2', 'sharer-2', ['guarded-book']));
    const { link: bought } = await linkOf('sharer-2', 'guarded-book');

    // Act
    const first = [];
    for (let n = 21; n <= 26; n++) first.push((await system.downloadFrom(n, 'sharer-2', bought.downloadUrl)).status);
    await system.settled();
    const refused = await system.downloadFrom(27, 'sharer-2', bought.downloadUrl);
    const { link: suspended } = await linkOf('sharer-2', 'guarded-book');
    const reset = await system.request('POST', `/admin/links/${bought.id}/reset`, { admin: true, body: {} });
    const again = await system.downloadFrom(28, 'sharer-2', bought.downloadUrl);
    await system.settled();
    const { link: after, view } = await linkOf('sharer-2', 'guarded-book');
    const log = await system.request('GET', `/admin/links/${bought.id}/events`, { admin: true });

    // Assess
    expect(first).toEqual(Array(6).fill(200));
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe('LINK_SUSPENDED_SHARING');
    expect(suspended.status).toBe('suspended');
    expect(suspended.sharing).toMatchObject({ flagged: true, suspended: true, networks: 6 });
    expect(flagsOf(bought.id).map((e) => (e.detail as { suspended: boolean }).suspended)).toEqual([true]);
    expect(reset.status).toBe(200);
    expect(reset.json.sharing).toMatchObject({ flagged: false, suspended: false, networks: 0 });
    expect(again.status).toBe(200);
    expect(after.status).toBe('active');
    expect(after.sharing).toMatchObject({ flagged: false, networks: 1 });
    expect(view.customer).toEqual({ customerId: 'sharer-2', resets: 1 });
    const resetEntry = log.json.items.find((e: { outcome: string }) => e.outcome === 'reset');
    expect(resetEntry).toMatchObject({ kind: 'admin', actor: 'operator-1', details: { sharingFlagCleared: true, flaggedNetworks: 6 } });
    expect(log.json.items.find((e: { outcome: string }) => e.outcome === 'LINK_SUSPENDED_SHARING')?.ip).toBe('127.0.27.1');
    expect(system.runtime.deadLetters.list()).toEqual([]);
  });
});
