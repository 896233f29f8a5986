import { Agent } from 'node:http';
import {
  CreateTableCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { TABLES, type TableDefinition } from '../adapters/dynamo/tables';
import { createDocumentClient } from '../adapters/dynamo/client';
import { inBatches } from '../core/concurrency';
import { newUploadFile } from '../core/file';
import { applyProductSettings } from '../core/product';
import { purchase, startTestRuntime } from '../test/support/runtime';
import { DdbCallCounter, tally, timeline, type DdbCall } from './support/ddb-calls';
import { measureActivations } from './licenses';
import { downloadEvent, lambdaContext, loadDownloadHandler, UNTHROTTLED_ENV, type DownloadHandler } from './support/events';
import { autocannonLoad } from './support/autocannon-load';
import { closedLoop, httpGet, type LoadResult } from './support/http-load';
import { atLeast, atMost, exactly, failedFigure, figure, median, round, type Figure } from './support/report';

export interface LocalSettings {
  quick: boolean;
  log: (line: string) => void;
  /** The repository and the directory for built bench scripts (figure 12d runs in a process of its own). */
  root: string;
  workDir: string;
}

export interface LocalResults {
  figures: Figure[];
  /** A real redeem's ALL_NEW item, for the hot-path measurement. */
  recordedItem: Record<string, unknown> | undefined;
  rates: LocalRates;
}

const CONCURRENCY = 16;

/** What the local part hands on to the cost figure and to 4c. */
export interface LocalRates {
  raw16?: number;
  /** One download at a time: the handler's e2e latency and the engine's own. */
  e2eP50Ms?: number;
  rawP50Ms?: number;
}

const P = (quick: boolean) =>
  quick
    ? { directDownloads: 10, httpDownloads: 5, forgedRepeats: 2, loadRounds: 1, loadSeconds: 1, warmSeconds: 0.3, singleWrites: 64, sequentialWrites: 16 }
    : { directDownloads: 100, httpDownloads: 30, forgedRepeats: 20, loadRounds: 3, loadSeconds: 4, warmSeconds: 1, singleWrites: 1000, sequentialWrites: 1000 };

/** A table with the links table's definition (indexes and stream included): the engine's work per write is the same. */
const linksShapedTable = (name: string): CreateTableCommandInput => {
  const def: TableDefinition = TABLES.links;
  const attributes = new Set<string>([def.partitionKey]);
  for (const index of Object.values(def.indexes ?? {})) {
    attributes.add(index.partitionKey);
    attributes.add(index.sortKey);
  }
  return {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes].map((a) => ({ AttributeName: a, AttributeType: 'S' })),
    KeySchema: [{ AttributeName: def.partitionKey, KeyType: 'HASH' }],
    GlobalSecondaryIndexes: Object.entries(def.indexes ?? {}).map(([IndexName, index]) => ({
      IndexName,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    })),
    StreamSpecification: def.stream ? { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } : undefined,
  };
};

/** The same condition and update a redeem sends (adapters/dynamo/link-store.ts), as the engine receives them. */
const rawRedeem = (table: string, id: string, customerId: string): UpdateItemCommand =>
  new UpdateItemCommand({
    TableName: table,
    Key: { id: { S: id } },
    UpdateExpression: 'SET downloadCount = downloadCount + :one, lastDownloadAt = :now, lastIp = :ip, lastUserAgent = :ua',
    ConditionExpression:
      'customerId = :customer AND #status = :active AND (attribute_not_exists(expiresAt) OR expiresAt > :now) AND (maxDownloads = :zero OR downloadCount < maxDownloads)',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: {
      ':customer': { S: customerId },
      ':active': { S: 'active' },
      ':now': { S: new Date().toISOString() },
      ':zero': { N: '0' },
      ':one': { N: '1' },
      ':ip': { S: '127.0.0.1' },
      ':ua': { S: 'bench' },
    },
    ReturnValues: 'ALL_NEW',
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  });

const tokenOf = (downloadUrl: string): string => decodeURIComponent(new URL(downloadUrl).pathname.split('/').pop() ?? '');

const statusTally = (statuses: number[]) => {
  const tally: Record<string, number> = {};
  for (const s of statuses) tally[s] = (tally[s] ?? 0) + 1;
  return tally;
};

/**
 * Figures 1, 2, 4, 7 and 8: the real handlers in the local runtime, the
 * embedded DynamoDB Local, HTTP on loopback.
 */
export const measureLocalSystem = async (settings: LocalSettings): Promise<LocalResults> => {
  const p = P(settings.quick);
  const figures: Figure[] = [];
  Object.assign(process.env, UNTHROTTLED_ENV);
  settings.log('starting the local runtime (DynamoDB Local, s3rver, handlers in-process)…');
  const system = await startTestRuntime();
  const rt = system.runtime;
  // A figure taken before the runtime settled would measure the wrong thing: not settling is a failed figure.
  const settle = (timeoutMs: number) => system.settled(timeoutMs);
  settings.log('runtime up; preparing products and links…');
  const base = new URL(rt.url);
  // One connection per request for the sequential probes: no reuse of a socket the server is closing.
  const agent = new Agent({ keepAlive: false });
  const raw = new DynamoDBClient({ region: process.env.AWS_REGION, endpoint: rt.dynamodbEndpoint });
  const setupDb: DynamoDBDocumentClient = createDocumentClient({ region: process.env.AWS_REGION ?? 'us-east-1', endpoint: rt.dynamodbEndpoint });
  let recordedItem: Record<string, unknown> | undefined;
  const rates: LocalRates = {};
  try {
    // The handlers' own client (same module instances as the runtime's): every request it sends is seen here.
    const { documentClient } = await import('../functions/shared/deps');
    // The download function's own client (no SDK: adapters/aws/wire.ts), counted the same way.
    const { wire } = await import('../functions/download/deps');
    const counter = new DdbCallCounter().attach(documentClient().middlewareStack).attachWire(wire.dynamo);
    const linksTable = process.env.LINKS_TABLE as string;
    const linkCalls = (calls: DdbCall[]) => calls.filter((c) => c.table === linksTable);

    // Prepare: 16 unlimited products bought on one invoice (16 links), one product limited to 5 on another.
    const demoFile = rt.demo.fileId;
    const unlimited = Array.from({ length: CONCURRENCY }, (_, i) => `bench-unlimited-${i}`);
    const productSettings: [string, object][] = [
      ...unlimited.map((id): [string, object] => [id, { name: `Bench ${id}`, fileIds: [demoFile], maxDownloadsPerLink: 0 }]),
      ['bench-limit-5', { name: 'Bench (limit 5)', fileIds: [demoFile], maxDownloadsPerLink: 5 }],
    ];
    await inBatches(productSettings, 4, async ([productId, body]) => {
      const put = await system.request('PUT', `/admin/products/${productId}`, { admin: true, body });
      if (put.status !== 200) throw new Error(`PUT /admin/products/${productId} answered ${put.status} ${put.text}`);
    });
    const customer = 'bench-customer';
    await system.sendPayment('PaymentSucceeded', purchase('bench-e2e', customer, unlimited), { wait: false });
    await system.sendPayment('PaymentSucceeded', purchase('bench-limit', 'bench-limit-customer', ['bench-limit-5']), { wait: false });
    await settle(30_000);
    const listed = await system.request('GET', '/downloads/customer?limit=100', { as: customer });
    const tokens: string[] = (listed.json?.items ?? []).map((l: { downloadUrl: string }) => tokenOf(l.downloadUrl));
    const limited = await system.request('GET', '/downloads/customer', { as: 'bench-limit-customer' });
    const limitedToken = tokenOf(limited.json?.items?.[0]?.downloadUrl ?? 'http://x/');
    if (tokens.length !== CONCURRENCY || !limitedToken)
      throw new Error(`expected ${CONCURRENCY} + 1 links, found ${tokens.length} and ${limitedToken ? 1 : 0}`);
    const bearer = { authorization: `Bearer ${await system.token(customer)}`, 'user-agent': 'digital-downloads-bench/1' };
    const downloadUrl = (token: string) => new URL(`/downloads/${encodeURIComponent(token)}`, base);
    const handler: DownloadHandler = await loadDownloadHandler();
    const context = lambdaContext();

    settings.log('figures 1 and 2: DynamoDB requests per download…');
    // 1. DynamoDB requests per successful download.
    try {
      counter.onResponse = (call, _input, output) => {
        if (!recordedItem && call.command === 'UpdateItem' && call.table === linksTable && output?.Attributes)
          recordedItem = output.Attributes as Record<string, unknown>;
      };
      const perCall: number[] = [];
      const statuses: number[] = [];
      const direct: DdbCall[] = [];
      for (let i = 0; i < p.directDownloads; i++) {
        const { result, calls } = await counter.within(() => handler(downloadEvent(tokens[i % tokens.length] as string, customer), context));
        statuses.push(result.statusCode);
        if (result.statusCode === 302) {
          perCall.push(calls.length);
          direct.push(...calls);
        }
      }
      counter.onResponse = undefined;
      const mark = counter.mark;
      const httpStatuses: number[] = [];
      for (let i = 0; i < p.httpDownloads; i++) httpStatuses.push((await httpGet(agent, downloadUrl(tokens[i % tokens.length] as string), bearer)).status);
      const inWindow = counter.since(mark);
      // Only to show the asynchronous writes that follow (--quick does not wait for them).
      if (!settings.quick) await settle(30_000);
      const afterSettling = counter.since(mark);
      const served = perCall.length;
      const perDownload = served > 0 ? perCall.reduce((a, b) => a + b, 0) / served : Number.NaN;
      figures.push(
        figure({
          id: '1',
          name: 'DynamoDB requests per successful download',
          value: round(perDownload, 3),
          unit: '',
          target: exactly(1),
          note:
            `${served}/${p.directDownloads} handler calls served (${JSON.stringify(statusTally(statuses))}), each ${Math.min(...perCall)}–${Math.max(...perCall)} requests: ${JSON.stringify(tally(direct))}. ` +
            `Over HTTP: ${p.httpDownloads} downloads (${JSON.stringify(statusTally(httpStatuses))}) → ${linkCalls(inWindow).length} requests on the links table; ` +
            `asynchronously, from the stream: ${settings.quick ? 'not waited for in --quick' : JSON.stringify(tally(afterSettling.filter((c) => c.table !== linksTable)))}`,
          data: {
            perCall,
            direct: tally(direct),
            http: { statuses: statusTally(httpStatuses), inWindow: tally(inWindow), afterSettling: tally(afterSettling) },
          },
        }),
      );
    } catch (error) {
      figures.push(failedFigure('1', 'DynamoDB requests per successful download', '', exactly(1), error));
    }

    // 2. Forged and malformed tokens: no database request at all.
    try {
      const good = tokens[0] as string;
      const [kid, linkId, signature] = good.split('.') as [string, string, string];
      const flip = (s: string) => s.slice(0, -1) + (s.endsWith('A') ? 'B' : 'A');
      const forged: Record<string, string> = {
        'flipped signature': `${kid}.${linkId}.${flip(signature)}`,
        'other link id, same signature': `${kid}.${flip(linkId)}.${signature}`,
        'unknown key id': `zz9.${linkId}.${signature}`,
        'not a token': 'not-a-token',
        'empty signature': `${kid}.${linkId}.`,
        'too long (300 chars)': 'A'.repeat(300),
      };
      const calls: DdbCall[] = [];
      const statuses: Record<string, number[]> = {};
      for (const [kind, token] of Object.entries(forged)) {
        for (let i = 0; i < p.forgedRepeats; i++) {
          const { result, calls: made } = await counter.within(() => handler(downloadEvent(token, customer), context));
          calls.push(...made);
          statuses[kind] = [...(statuses[kind] ?? []), result.statusCode];
        }
      }
      await settle(30_000);
      const mark = counter.mark;
      const httpStatuses: Record<string, number> = {};
      for (const [kind, token] of Object.entries(forged)) httpStatuses[kind] = (await httpGet(agent, downloadUrl(token), bearer)).status;
      await settle(30_000);
      const httpCalls = counter.since(mark);
      const total = calls.length + httpCalls.length;
      const requests = Object.keys(forged).length * (p.forgedRepeats + 1);
      const not404 = Object.entries(statuses)
        .map(([kind, seen]): [string, number[]] => [kind, [...new Set([...seen, httpStatuses[kind] ?? 0])]])
        .filter(([, seen]) => seen.some((x) => x !== 404))
        .map(([kind, seen]) => `${kind} → ${seen.join('/')}`);
      figures.push(
        figure({
          id: '2',
          name: 'DynamoDB requests for forged or malformed tokens',
          value: total,
          unit: '',
          target: exactly(0),
          note: `${requests} requests over ${Object.keys(forged).length} kinds (direct and HTTP): ${total} DynamoDB requests${total ? ` ${JSON.stringify(tally([...calls, ...httpCalls]))}` : ''}; answers not 404: ${not404.length ? not404.join('; ') : 'none'}`,
          data: { statuses, httpStatuses, calls: tally([...calls, ...httpCalls]) },
        }),
      );
    } catch (error) {
      figures.push(failedFigure('2', 'DynamoDB requests for forged or malformed tokens', '', exactly(0), error));
    }

    settings.log('figure 7: 50 concurrent downloads against a limit of 5…');
    // 7. 50 concurrent downloads of a link limited to 5.
    try {
      const concurrentAgent = new Agent({ keepAlive: false, maxSockets: Infinity });
      const limitedBearer = { authorization: `Bearer ${await system.token('bench-limit-customer')}` };
      const mark = counter.mark;
      const answers = await Promise.all(Array.from({ length: 50 }, () => httpGet(concurrentAgent, downloadUrl(limitedToken), limitedBearer)));
      concurrentAgent.destroy();
      const inWindow = counter.since(mark);
      const served = answers.filter((a) => a.status === 302).length;
      const after = await system.request('GET', '/downloads/customer', { as: 'bench-limit-customer' });
      const link = after.json?.items?.[0];
      figures.push(
        figure({
          id: '7',
          name: '50 concurrent downloads of a link limited to 5: served',
          value: served,
          unit: '',
          target: exactly(5),
          note: `answers ${JSON.stringify(statusTally(answers.map((a) => a.status)))}; link afterwards downloadCount ${link?.downloadCount}, remaining ${link?.remainingDownloads}; requests ${JSON.stringify(tally(inWindow))}`,
          data: { statuses: statusTally(answers.map((a) => a.status)), downloadCount: link?.downloadCount, calls: tally(inWindow) },
        }),
      );
    } catch (error) {
      figures.push(failedFigure('7', '50 concurrent downloads of a link limited to 5: served', '', exactly(5), error));
    }

    const benchTable = 'bench-links-shaped';
    await raw.send(new CreateTableCommand(linksShapedTable(benchTable)));
    // Items shaped like a real link (the recorded one when figure 1 got it).
    const template: Record<string, unknown> = recordedItem ?? {
      customerId: customer,
      status: 'active',
      maxDownloads: 0,
      downloadCount: 0,
      fileName: 'Digital Downloads Handbook.pdf',
      contentType: 'application/pdf',
      objectKey: 'uploads/bench',
    };
    const linkItem = (id: string): Record<string, AttributeValue> =>
      marshall({ ...template, id, listKey: `${new Date().toISOString()}#${id}` }, { removeUndefinedValues: true });

    settings.log('figure 8: an invoice with 1,000 digital lines…');
    // 8. One invoice with 1,000 digital lines: every link written.
    try {
      const lines = 1000;
      const now = new Date().toISOString();
      const products = Array.from({ length: lines }, (_, i) => {
        const file = { ...newUploadFile({ fileName: `volume-${i}.pdf`, size: 1024 }, { now, by: 'bench' }), state: 'ready' as const, completedAt: now };
        const product = applyProductSettings(`bench-bulk-${String(i).padStart(4, '0')}`, { fileIds: [file.fileId], maxDownloadsPerLink: 3 }, undefined, {
          now,
          by: 'bench',
        });
        return { file, product };
      });
      const writes = products.flatMap(({ file, product }) => [
        { table: process.env.FILES_TABLE as string, item: file as unknown as Record<string, unknown> },
        { table: process.env.PRODUCTS_TABLE as string, item: product as unknown as Record<string, unknown> },
      ]);
      // Seeded in transactions of 100: DynamoDB Local commits a transaction far faster than 100 single writes.
      const batches: (typeof writes)[] = [];
      for (let i = 0; i < writes.length; i += 100) batches.push(writes.slice(i, i + 100));
      await inBatches(batches, 4, (batch) =>
        setupDb.send(new TransactWriteCommand({ TransactItems: batch.map((w) => ({ Put: { TableName: w.table, Item: w.item } })) })),
      );
      settings.log(`  ${lines} products with a file each are in the catalog; sending the payment…`);

      let linksWrittenAt: number | undefined;
      let linkWrites = 0;
      counter.onResponse = (call, input) => {
        if (call.table !== linksTable) return;
        if (call.command === 'TransactWriteItems') linkWrites += (input.TransactItems as unknown[]).length;
        else if (call.command === 'PutItem') linkWrites += 1;
        if (linkWrites >= lines && linksWrittenAt === undefined) linksWrittenAt = performance.now();
      };
      const mark = counter.mark;
      const t0 = performance.now();
      await system.sendPayment(
        'PaymentSucceeded',
        purchase(
          'bench-bulk',
          'bench-bulk-customer',
          products.map((x) => x.product.productId),
        ),
        { wait: false },
      );
      const settled = await rt.idle(120_000);
      const elapsedMs = performance.now() - t0;
      counter.onResponse = undefined;
      const calls = counter.since(mark);
      let count = 0;
      let start: Record<string, unknown> | undefined;
      do {
        const out = await setupDb.send(
          new QueryCommand({
            TableName: linksTable,
            IndexName: 'byInvoice',
            KeyConditionExpression: 'invoiceId = :i',
            ExpressionAttributeValues: { ':i': 'bench-bulk' },
            Select: 'COUNT',
            ExclusiveStartKey: start,
          }),
        );
        count += out.Count ?? 0;
        start = out.LastEvaluatedKey;
      } while (start);

      // The same 1,000 link-shaped items, one conditional PutItem each: 16 in flight, then one at a time
      // (--quick writes fewer and scales the time to 1,000).
      const single = async (width: number, prefix: string, n: number) => {
        const ids = Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
        const s0 = performance.now();
        await inBatches(ids, width, (id) =>
          raw.send(new PutItemCommand({ TableName: benchTable, Item: linkItem(id), ConditionExpression: 'attribute_not_exists(id)' })),
        );
        return ((performance.now() - s0) * lines) / n;
      };
      settings.log(`  invoice settled after ${round(elapsedMs / 1000, 2)} s; single conditional writes for comparison…`);
      const parallelMs = await single(CONCURRENCY, 'single16', p.singleWrites);
      const sequentialMs = await single(1, 'single1', p.sequentialWrites);
      const steps = timeline(calls, t0);
      const slowest = Object.entries(steps)
        .sort((a, b) => b[1].sumMs - a[1].sumMs)
        .slice(0, 4)
        .map(([k, e]) => `${k} ×${e.n} ${round(e.fromMs / 1000, 2)}–${round(e.toMs / 1000, 2)} s`)
        .join(', ');
      figures.push(
        figure({
          id: '8',
          name: 'Invoice with 1,000 digital lines → all links written, settled',
          value: round(elapsedMs / 1000, 2),
          unit: 's',
          target: atMost(2),
          note:
            `${count} links for the invoice${settled ? '' : ' (runtime not idle after 120 s)'}; all written after ${linksWrittenAt ? round((linksWrittenAt - t0) / 1000, 2) : 'n/a'} s, idle (streams, outbox, email) after ${round(elapsedMs / 1000, 2)} s; ` +
            `1,000 single conditional PutItems: ${round(parallelMs / 1000, 2)} s at ${CONCURRENCY} in flight, ${round(sequentialMs / 1000, 2)} s one at a time${p.singleWrites < lines ? ` (scaled from ${p.singleWrites} and ${p.sequentialWrites})` : ''}; ` +
            `requests: ${JSON.stringify(tally(calls))}; timeline: ${slowest}`,
          data: {
            links: count,
            settled,
            elapsedMs,
            linksWrittenMs: linksWrittenAt ? linksWrittenAt - t0 : null,
            singleWrites16Ms: parallelMs,
            singleWrites1Ms: sequentialMs,
            calls: tally(calls),
            timeline: steps,
          },
        }),
        figure({
          id: '8c',
          name: 'DynamoDB requests for the 1,000-line invoice, every function, until idle',
          value: calls.length,
          unit: '',
          target: null,
          note: (() => {
            const invoices = calls.filter((c) => c.table === process.env.INVOICES_TABLE);
            const reads = invoices.filter((c) => /^(GetItem|BatchGetItem|Query)$/.test(c.command)).length;
            return `the invoice item: ${reads} reads, ${invoices.length - reads} writes (the payment path itself: 1 read + 4 writes, counted with fakes in test/unit/deliver-invoice.test.ts; the outbox and the delivery email read it after); ${JSON.stringify(tally(calls))}`;
          })(),
          data: { calls: tally(calls) },
        }),
        figure({
          id: '8b',
          name: '… ratio to 1,000 single conditional writes (16 in flight)',
          value: round(elapsedMs / parallelMs, 2),
          unit: '×',
          target: null,
          note: `ratio to the same writes one at a time: ${round(elapsedMs / sequentialMs, 2)}×; links-written time / 16-in-flight writes: ${linksWrittenAt ? round((linksWrittenAt - t0) / parallelMs, 2) : 'n/a'}×`,
        }),
      );
    } catch (error) {
      counter.onResponse = undefined;
      figures.push(failedFigure('8', 'Invoice with 1,000 digital lines → all links written, settled', 's', atMost(2), error));
    }

    // 12–12d: a license activation, while the engine is otherwise quiet.
    figures.push(...(await measureActivations({ system, counter, ...settings })));

    settings.log('figure 4: e2e downloads/s vs raw conditional updates/s…');
    // 4. End-to-end downloads per second ÷ the engine's raw conditional-update rate.
    try {
      const ids = Array.from({ length: CONCURRENCY }, (_, i) => `raw-${i}`);
      for (const id of ids)
        await raw.send(
          new PutItemCommand({
            TableName: benchTable,
            Item: { ...linkItem(id), customerId: { S: customer }, status: { S: 'active' }, maxDownloads: { N: '0' } },
          }),
        );
      const rawLoad = (seconds: number, width = CONCURRENCY) =>
        closedLoop(width, seconds, async (w) => {
          await raw.send(rawRedeem(benchTable, ids[w] as string, customer));
          return { ok: true };
        });
      const e2eLoad = async (seconds: number, width = CONCURRENCY) => {
        // Fresh keep-alive connections per run: the server closes idle ones (keepAliveTimeout) while the stream drains.
        const loadAgent = new Agent({ keepAlive: true, maxSockets: width });
        try {
          return await closedLoop(width, seconds, async (w) => {
            const answer = await httpGet(loadAgent, downloadUrl(tokens[w] as string), bearer);
            return answer.status === 302 ? { ok: true } : { ok: false, kind: String(answer.status) };
          });
        } finally {
          loadAgent.destroy();
        }
      };
      await rawLoad(p.warmSeconds);
      await e2eLoad(p.warmSeconds);
      const runs: Record<'raw16' | 'e2e16' | 'raw1' | 'e2e1', LoadResult[]> = { raw16: [], e2e16: [], raw1: [], e2e1: [] };
      const e2eCalls: DdbCall[] = [];
      let settledBetween = true;
      for (let r = 0; r < p.loadRounds; r++) {
        for (const width of [CONCURRENCY, 1] as const) {
          // The e2e downloads leave work for the link-log stream consumer: let it drain before the engine is measured alone.
          settledBetween = (await rt.idle(120_000)) && settledBetween;
          runs[width === 1 ? 'raw1' : 'raw16'].push(await rawLoad(p.loadSeconds, width));
          const mark = counter.mark;
          runs[width === 1 ? 'e2e1' : 'e2e16'].push(await e2eLoad(p.loadSeconds, width));
          if (width === CONCURRENCY) e2eCalls.push(...counter.since(mark));
        }
        settings.log(
          `  round ${r + 1}: 16 in flight raw ${Math.round(runs.raw16.at(-1)?.rate ?? 0)}/s e2e ${Math.round(runs.e2e16.at(-1)?.rate ?? 0)}/s; ` +
            `1 in flight raw ${Math.round(runs.raw1.at(-1)?.rate ?? 0)}/s e2e ${Math.round(runs.e2e1.at(-1)?.rate ?? 0)}/s`,
        );
      }
      const rate = (k: keyof typeof runs) => median(runs[k].map((r) => r.rate));
      const failuresOf = (k: keyof typeof runs) =>
        runs[k].reduce<Record<string, number>>((acc, r) => {
          for (const [kind, v] of Object.entries(r.failures)) acc[kind] = (acc[kind] ?? 0) + v;
          return acc;
        }, {});
      const describeRuns = (e2e: keyof typeof runs, rawKey: keyof typeof runs) => {
        const last = runs[e2e].at(-1);
        const lastRaw = runs[rawKey].at(-1);
        const failures = failuresOf(e2e);
        return (
          `e2e ${Math.round(rate(e2e))}/s (p50 ${round(last?.p50Ms ?? NaN, 2)} ms, p99 ${round(last?.p99Ms ?? NaN, 1)} ms${Object.keys(failures).length ? `, failures ${JSON.stringify(failures)}` : ''}), ` +
          `raw UpdateItem ${Math.round(rate(rawKey))}/s (p50 ${round(lastRaw?.p50Ms ?? NaN, 2)} ms); median of ${p.loadRounds} × ${p.loadSeconds} s${settledBetween ? '' : ' (stream backlog not drained between rounds)'}`
        );
      };
      figures.push(
        figure({
          id: '4',
          name: `Local e2e downloads/s ÷ DynamoDB Local conditional updates/s (${CONCURRENCY} in flight)`,
          value: round(rate('e2e16') / rate('raw16'), 2),
          unit: '',
          target: atLeast(0.9),
          note: `${describeRuns('e2e16', 'raw16')}; engine requests from the handlers during the e2e runs: ${JSON.stringify(tally(e2eCalls))}; stream poller requests: ${JSON.stringify(rt.streamRequests())}`,
          data: { e2eRate: rate('e2e16'), rawRate: rate('raw16'), rawRuns: runs.raw16, e2eRuns: runs.e2e16, e2eCalls: tally(e2eCalls) },
        }),
        figure({
          id: '4b',
          name: 'Local e2e downloads/s ÷ DynamoDB Local conditional updates/s (1 in flight)',
          value: round(rate('e2e1') / rate('raw1'), 2),
          unit: '',
          target: atLeast(0.9),
          note: describeRuns('e2e1', 'raw1'),
          data: { e2eRate: rate('e2e1'), rawRate: rate('raw1'), rawRuns: runs.raw1, e2eRuns: runs.e2e1 },
        }),
      );
      rates.raw16 = rate('raw16');
      rates.e2eP50Ms = median(runs.e2e1.map((r) => r.p50Ms));
      rates.rawP50Ms = median(runs.raw1.map((r) => r.p50Ms));
    } catch (error) {
      figures.push(failedFigure('4', `Local e2e downloads/s ÷ DynamoDB Local conditional updates/s (${CONCURRENCY} in flight)`, '', atLeast(0.9), error));
      figures.push(failedFigure('4b', 'Local e2e downloads/s ÷ DynamoDB Local conditional updates/s (1 in flight)', '', atLeast(0.9), error));
    }

    settings.log('figure 4c: autocannon, 50 connections through the runtime…');
    // 4c. A load tool in its own process, 50 keep-alive connections, through the local API Gateway.
    try {
      if (!rates.raw16) throw new Error('no raw rate (figure 4 failed)');
      await settle(120_000);
      const load = await autocannonLoad(process.cwd(), {
        url: rt.url,
        paths: tokens.map((t) => `/downloads/${encodeURIComponent(t)}`),
        headers: bearer,
        connections: 50,
        seconds: p.loadSeconds,
      });
      await settle(120_000);
      figures.push(
        figure({
          id: '4c',
          name: 'Downloads/s through the local runtime at 50 connections (autocannon) ÷ DynamoDB Local conditional updates/s',
          value: round(load.rate / rates.raw16, 2),
          unit: '',
          target: atLeast(0.8),
          note: `${Math.round(load.rate)} downloads/s (p50 ${load.p50Ms} ms, p99 ${load.p99Ms} ms; answers ${JSON.stringify(load.statuses)}${load.errors ? `, ${load.errors} errors` : ''}) over ${p.loadSeconds} s, 16 links round-robin; raw rate ${Math.round(rates.raw16)}/s at 16 in flight`,
          data: { ...load, rawRate: rates.raw16 },
        }),
      );
    } catch (error) {
      figures.push(
        failedFigure(
          '4c',
          'Downloads/s through the local runtime at 50 connections (autocannon) ÷ DynamoDB Local conditional updates/s',
          '',
          atLeast(0.8),
          error,
        ),
      );
    }
  } finally {
    agent.destroy();
    raw.destroy();
    setupDb.destroy();
    settings.log('stopping the local runtime…');
    await system.stop().catch((error) => settings.log(`runtime stop: ${(error as Error).message}`));
  }
  return { figures, recordedItem, rates };
};
