import { inBatches } from '../concurrency';
import type { Invoice, IssuedLicense } from '../invoice';
import { linkStatusFor } from '../invoice';
import { licenseSlotId, type LicenseSlot, MAX_KEYS_PER_LINE, newLicenseKey } from '../license';
import type { LicenseStore } from '../ports';
import type { DigitalProduct } from '../product';

/** How many units of a product the invoice bought (a missing quantity is one), capped at the keys a line may get. */
export const unitsOf = (invoice: Pick<Invoice, 'quantities'>, productId: string): number =>
  Math.min(MAX_KEYS_PER_LINE, Math.max(0, invoice.quantities?.[productId] ?? 1));

/** The slots of every unit of the invoice's products, licensed or not (a product that sold no key has no slot item). */
export const allSlotIdsOf = (invoice: Pick<Invoice, 'invoiceId' | 'productIds' | 'quantities'>, productIds = invoice.productIds ?? []): string[] =>
  productIds.flatMap((productId) => Array.from({ length: unitsOf(invoice, productId) }, (_, unit) => licenseSlotId(invoice.invoiceId, productId, unit)));

/**
 * Gives each unit bought of a licensed product its key, exactly once: every
 * unit has a slot derived from (invoice, product, unit), and the store gives
 * a slot one key in one transaction (a generated key written with it, or a
 * pool key taken by a conditional write). A replay, a concurrent duplicate
 * or a retry after a crash finds the slot's key and assigns nothing new. A
 * pool that runs dry leaves that line undelivered (`LICENSE_POOL_EMPTY`),
 * with the keys it did give; the other lines are delivered.
 */
export const assignLicenses = async (
  store: LicenseStore,
  invoice: Invoice,
  products: DigitalProduct[],
  now: string,
): Promise<{ licenses: IssuedLicense[]; poolEmpty: string[] }> => {
  const licensed = products.filter((p) => p.licenseKeys);
  if (!invoice.customerId) return { licenses: [], poolEmpty: [] };
  const status = linkStatusFor(invoice.state ?? 'paid');
  const slots: LicenseSlot[] = licensed.flatMap((product) =>
    Array.from({ length: unitsOf(invoice, product.productId) }, (_, unit) => ({
      slotId: licenseSlotId(invoice.invoiceId, product.productId, unit),
      invoiceId: invoice.invoiceId,
      customerId: invoice.customerId as string,
      productId: product.productId,
      productName: product.name,
      unit,
      activationLimit: product.licenseKeys?.activationLimit ?? 0,
      status,
      statusAt: invoice.stateKey ?? '',
      now,
    })),
  );
  const known = await store.assignedKeys(slots.map((s) => s.slotId));
  const modeOf = new Map(licensed.map((p) => [p.productId, p.licenseKeys?.mode]));
  const poolEmpty = new Set<string>();
  // Products in parallel; a product's units in order, so a pool is taken from front to back and a dry pool stops its line.
  await inBatches(licensed, 4, async (product) => {
    for (const slot of slots.filter((s) => s.productId === product.productId)) {
      if (known.has(slot.slotId)) continue;
      const key = modeOf.get(slot.productId) === 'pool' ? await store.assignFromPool(slot) : await store.assignGenerated(slot, newLicenseKey());
      if (key === undefined) {
        poolEmpty.add(slot.productId);
        break;
      }
      known.set(slot.slotId, key);
    }
  });
  const licenses = slots.flatMap((slot) => {
    const key = known.get(slot.slotId);
    return key ? [{ key, productId: slot.productId }] : [];
  });
  return { licenses, poolEmpty: licensed.map((p) => p.productId).filter((id) => poolEmpty.has(id)) };
};

/**
 * Moves the invoice's keys to the status its payment state implies (and the
 * keys of partially refunded products to revoked): found through the slots,
 * so a key given by a delivery that lost the race to record it is moved too.
 */
export const applyInvoiceStateToLicenses = async (store: LicenseStore, invoice: Invoice): Promise<void> => {
  if (!invoice.state || !invoice.stateKey) return;
  const keys = await store.assignedKeys(allSlotIdsOf(invoice));
  const refunded = new Set(invoice.refundedProductIds ?? []);
  const status = linkStatusFor(invoice.state);
  const stateKey = invoice.stateKey;
  const licenses = await store.getMany([...keys.values()]);
  await inBatches(licenses, 16, (license) => store.applyPaymentState(license.key, refunded.has(license.productId) ? 'revoked' : status, stateKey));
};
