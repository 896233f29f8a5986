import { GetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Invoice, PaymentState } from '../../core/invoice';
import type { InvoiceStore } from '../../core/ports';
import { newLinkSeed } from '../../core/token';
import { isConditionFailure } from './client';

const toInvoice = (item: Record<string, unknown>): Invoice => ({
  invoiceId: item.invoiceId as string,
  customerId: (item.customerId as string | undefined) ?? null,
  customerEmail: (item.customerEmail as string | undefined) ?? null,
  productIds: (item.productIds as string[] | undefined) ?? null,
  allLinesDigital: (item.allLinesDigital as boolean | undefined) ?? false,
  rejectedReason: (item.rejectedReason as string | undefined) ?? null,
  state: (item.state as PaymentState | undefined) ?? null,
  stateKey: (item.stateKey as string | undefined) ?? null,
  linkSeed: item.linkSeed as string,
  generation: Number(item.generation ?? 0),
  linkIds: (item.linkIds as string[] | undefined) ?? null,
  linksIssuedAt: (item.linksIssuedAt as string | undefined) ?? null,
  createdAt: item.createdAt as string,
});

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
    allLinesDigital: boolean;
    now: string;
  }) {
    const facts: Record<string, unknown> = { ':productIds': input.productIds, ':allDigital': input.allLinesDigital };
    const sets = ['productIds = if_not_exists(productIds, :productIds)', 'allLinesDigital = if_not_exists(allLinesDigital, :allDigital)'];
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

  async recordState(invoiceId: string, state: PaymentState, stateKey: string, now: string) {
    return this.conditionally({
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
  }

  async fixLinkIds(invoiceId: string, generation: number, linkIds: string[]) {
    await this.conditionally({
      TableName: this.table,
      Key: { invoiceId },
      UpdateExpression: 'SET linkIds = :ids',
      ConditionExpression: 'attribute_exists(invoiceId) AND generation = :generation AND attribute_not_exists(linkIds)',
      ExpressionAttributeValues: { ':ids': linkIds, ':generation': generation },
    });
    const invoice = await this.get(invoiceId);
    if (!invoice) throw new Error(`invoice ${invoiceId} vanished while issuing links`);
    return invoice;
  }

  async markLinksIssued(invoiceId: string, generation: number, now: string) {
    await this.conditionally({
      TableName: this.table,
      Key: { invoiceId },
      UpdateExpression: 'SET linksIssuedAt = :now',
      ConditionExpression: 'generation = :generation AND attribute_not_exists(linksIssuedAt)',
      ExpressionAttributeValues: { ':now': now, ':generation': generation },
    });
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
    try {
      await this.db.send(new UpdateCommand(input));
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
