import { GetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Invoice, IssuedLicense, PaymentState } from '../../core/invoice';
import type { InvoiceStore } from '../../core/ports';
import { newLinkSeed } from '../../core/token';
import { conditionally } from './client';
import { CorruptItem, type Item, itemReader } from './items';

const STATES = ['paid', 'on_hold', 'refunded'] as const satisfies readonly PaymentState[];

const undeliverableOf = (value: unknown): Invoice['undeliverable'] => {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object') throw new CorruptItem('invoices', 'undeliverable', 'a map');
  const out: NonNullable<Invoice['undeliverable']> = {};
  for (const [reason, ids] of Object.entries(value as Record<string, unknown>)) {
    if ((reason !== 'NO_FILES' && reason !== 'LICENSE_POOL_EMPTY') || !Array.isArray(ids))
      throw new CorruptItem('invoices', 'undeliverable', 'reasons to product ids');
    out[reason] = ids.map(String);
  }
  return out;
};

/** A string set comes back as a Set from the document client. */
const refundedOf = (value: unknown): string[] | null => {
  if (value === undefined || value === null) return null;
  if (!(value instanceof Set) && !Array.isArray(value)) throw new CorruptItem('invoices', 'refundedProductIds', 'a set of product ids');
  return [...value].map(String).sort();
};

const quantitiesOf = (value: unknown): Invoice['quantities'] => {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object') throw new CorruptItem('invoices', 'quantities', 'a map');
  const out: Record<string, number> = {};
  for (const [productId, n] of Object.entries(value as Record<string, unknown>)) {
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new CorruptItem('invoices', 'quantities', 'product ids to whole numbers');
    out[productId] = n;
  }
  return out;
};

const licensesOf = (value: unknown): IssuedLicense[] | null => {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value)) throw new CorruptItem('invoices', 'licenses', 'a list');
  return value.map((entry) => {
    const e = entry as Record<string, unknown>;
    if (typeof e?.key !== 'string' || typeof e.productId !== 'string') throw new CorruptItem('invoices', 'licenses', 'a list of { key, productId }');
    return { key: e.key, productId: e.productId };
  });
};

export const toInvoice = (item: Item): Invoice => {
  const read = itemReader('invoices', item);
  return {
    invoiceId: read.string('invoiceId'),
    customerId: read.optionalString('customerId'),
    customerEmail: read.optionalString('customerEmail'),
    productIds: read.optionalStrings('productIds'),
    quantities: quantitiesOf(read.raw('quantities')),
    licenses: licensesOf(read.raw('licenses')),
    allLinesDigital: read.boolean('allLinesDigital', false),
    rejectedReason: read.optionalString('rejectedReason'),
    undeliverable: undeliverableOf(read.raw('undeliverable')),
    refundedProductIds: refundedOf(read.raw('refundedProductIds')),
    state: read.optionalOneOf('state', STATES),
    stateKey: read.optionalString('stateKey'),
    linkSeed: read.string('linkSeed'),
    generation: read.number('generation', 0),
    linkIds: read.optionalStrings('linkIds'),
    linksIssuedAt: read.optionalString('linksIssuedAt'),
    createdAt: read.string('createdAt'),
  };
};

/** Every write creates the invoice if it is new: events may arrive in any order. */
const CREATE_IF_NEW = 'linkSeed = if_not_exists(linkSeed, :seed), generation = if_not_exists(generation, :zero), createdAt = if_not_exists(createdAt, :now)';

export class DynamoInvoiceStore implements InvoiceStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(invoiceId: string) {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: { invoiceId }, ConsistentRead: true }));
    return out.Item ? toInvoice(out.Item) : undefined;
  }

  async recordPurchase(input: {
    invoiceId: string;
    customerId: string | null;
    customerEmail: string | null;
    productIds: string[];
    quantities?: Record<string, number> | undefined;
    allLinesDigital: boolean;
    now: string;
  }) {
    const facts: Record<string, unknown> = { ':productIds': input.productIds, ':allDigital': input.allLinesDigital };
    const sets = ['productIds = if_not_exists(productIds, :productIds)', 'allLinesDigital = if_not_exists(allLinesDigital, :allDigital)'];
    if (input.quantities) {
      sets.push('quantities = if_not_exists(quantities, :quantities)');
      facts[':quantities'] = input.quantities;
    }
    if (input.customerId) {
      sets.push('customerId = if_not_exists(customerId, :customerId)');
      facts[':customerId'] = input.customerId;
    }
    if (input.customerEmail) {
      sets.push('customerEmail = if_not_exists(customerEmail, :customerEmail)');
      facts[':customerEmail'] = input.customerEmail;
    }
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { invoiceId: input.invoiceId },
        UpdateExpression: `SET ${CREATE_IF_NEW}, ${sets.join(', ')}`,
        ExpressionAttributeValues: { ...facts, ':seed': newLinkSeed(), ':zero': 0, ':now': input.now },
      }),
    );
  }

  async markRejected(invoiceId: string, reason: string, now: string) {
    return this.conditionally({
      TableName: this.table,
      Key: { invoiceId },
      UpdateExpression: `SET ${CREATE_IF_NEW}, rejectedReason = :reason, rejectedAt = :now`,
      ConditionExpression: 'attribute_not_exists(rejectedReason)',
      ExpressionAttributeValues: { ':reason': reason, ':seed': newLinkSeed(), ':zero': 0, ':now': now },
    });
  }

  async recordRefundedLines(invoiceId: string, productIds: string[], now: string) {
    if (productIds.length === 0) return;
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { invoiceId },
        // A set only grows: a refund is final, and its replay adds nothing.
        UpdateExpression: `SET ${CREATE_IF_NEW} ADD refundedProductIds :ids`,
        ExpressionAttributeValues: { ':ids': new Set(productIds), ':seed': newLinkSeed(), ':zero': 0, ':now': now },
      }),
    );
  }

  async recordState(invoiceId: string, state: PaymentState, stateKey: string, now: string) {
    const { ok, invoice } = await this.returning({
      TableName: this.table,
      Key: { invoiceId },
      UpdateExpression: `SET ${CREATE_IF_NEW}, #state = :state, stateKey = :key, stateChangedAt = :now`,
      // A refund is final whenever it arrives (an older refund still wins: money returned means no goods);
      // otherwise the latest occurredAt wins.
      ConditionExpression:
        state === 'refunded'
          ? 'attribute_not_exists(#state) OR #state <> :refunded'
          : '(attribute_not_exists(stateKey) OR stateKey < :key) AND (attribute_not_exists(#state) OR #state <> :refunded)',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':state': state, ':key': stateKey, ':refunded': 'refunded', ':seed': newLinkSeed(), ':zero': 0, ':now': now },
    });
    return { changed: ok, invoice };
  }

  async fixLinkIds(invoiceId: string, generation: number, linkIds: string[]) {
    // The invoice after the write, or as it was when another delivery fixed them first: no read after.
    const { invoice } = await this.returning({
      TableName: this.table,
      Key: { invoiceId },
      UpdateExpression: 'SET linkIds = :ids',
      ConditionExpression: 'attribute_exists(invoiceId) AND generation = :generation AND attribute_not_exists(linkIds)',
      ExpressionAttributeValues: { ':ids': linkIds, ':generation': generation },
    });
    if (!invoice) throw new Error(`invoice ${invoiceId} vanished while issuing links`);
    return invoice;
  }

  async markLinksIssued(invoiceId: string, generation: number, now: string, undeliverable?: Invoice['undeliverable'], licenses?: IssuedLicense[]) {
    const lines = undeliverable && Object.keys(undeliverable).length > 0 ? undeliverable : undefined;
    const keys = licenses && licenses.length > 0 ? licenses : undefined;
    const { invoice } = await this.returning({
      TableName: this.table,
      Key: { invoiceId },
      // What could not be delivered, and the keys given, are recorded in the same write that issues the links: the outbox announces all from it.
      UpdateExpression: `SET linksIssuedAt = :now${lines ? ', undeliverable = :lines' : ''}${keys ? ', licenses = if_not_exists(licenses, :licenses)' : ''}`,
      ConditionExpression: 'generation = :generation AND attribute_not_exists(linksIssuedAt)',
      ExpressionAttributeValues: { ':now': now, ':generation': generation, ...(lines ? { ':lines': lines } : {}), ...(keys ? { ':licenses': keys } : {}) },
    });
    return invoice;
  }

  async startGeneration(invoiceId: string, fromGeneration: number, next: { linkSeed: string; linkIds: string[] }) {
    return this.conditionally({
      TableName: this.table,
      Key: { invoiceId },
      UpdateExpression: 'SET generation = :next, linkSeed = :seed, linkIds = :ids REMOVE linksIssuedAt',
      ConditionExpression: 'generation = :from',
      ExpressionAttributeValues: { ':next': fromGeneration + 1, ':from': fromGeneration, ':seed': next.linkSeed, ':ids': next.linkIds },
    });
  }

  async listByEmail(customerEmail: string, limit: number) {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'byEmail',
        KeyConditionExpression: 'customerEmail = :email',
        ExpressionAttributeValues: { ':email': customerEmail },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map(toInvoice);
  }

  private async conditionally(input: ConstructorParameters<typeof UpdateCommand>[0]): Promise<boolean> {
    return (await conditionally(this.db, new UpdateCommand(input))).ok;
  }

  /** A conditional update that answers the invoice either way: as written (ALL_NEW), or as it was when the condition failed (ALL_OLD). */
  private async returning(input: ConstructorParameters<typeof UpdateCommand>[0]): Promise<{ ok: boolean; invoice: Invoice | undefined }> {
    const result = await conditionally<{ Attributes?: Record<string, unknown> }>(
      this.db,
      new UpdateCommand({ ...input, ReturnValues: 'ALL_NEW', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }),
    );
    const item = result.ok ? result.out.Attributes : result.old;
    return { ok: result.ok, invoice: item ? toInvoice(item) : undefined };
  }
}
