import { advanceProductUpdate } from '../../core/use-cases/advance-product-update';
import { toProductUpdate } from '../../adapters/dynamo/product-update-store';
import { config } from '../shared/config';
import { accountPageUrl, catalogStore, dispatchDeps, eventPublisher, invoiceStore, linkSigner, linkStore, mailer, productUpdateStore } from '../shared/deps';
import { logger } from '../shared/logger';
import { streamHandler } from '../shared/streams';

const deps = {
  updates: productUpdateStore(),
  links: linkStore(),
  invoices: invoiceStore(),
  catalog: catalogStore(),
  signer: linkSigner(),
  events: eventPublisher(),
  mailer: mailer(),
  dispatch: dispatchDeps(),
  publicBaseUrl: config().PUBLIC_BASE_URL,
  accountUrl: accountPageUrl(),
  from: config().SENDER_EMAIL,
  shopName: config().SHOP_NAME,
  batchSize: config().UPDATE_BATCH_SIZE,
  clock: () => new Date().toISOString(),
};

/**
 * Drives updates for past buyers from the updates table's stream: each
 * record of an unfinished update runs its next step, whose own write (the
 * progress) is the next record. A replayed or older record finds the update
 * moved on and does nothing; a step that fails is retried from the same
 * cursor, and everything a step does is idempotent.
 */
export const handler = streamHandler<Record<string, unknown>>('product-updates', async (change) => {
  const update = toProductUpdate(change.newItem);
  if (!update || update.phase === 'done') return;
  const outcome = await advanceProductUpdate(deps, { productId: update.productId, updateId: update.updateId, step: update.step });
  logger.info('product update step', { productId: update.productId, updateId: update.updateId, step: update.step, outcome });
});
