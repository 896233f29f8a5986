import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';

/**
 * License keys for software sellers: a product's setting, the keys it is sold
 * with (generated, or taken from a pool the operator imported), and the
 * activations the seller's software makes with them.
 */

export const LICENSE_MODES = ['generated', 'pool'] as const;
export type LicenseMode = (typeof LICENSE_MODES)[number];

/** A product's license setting: how its keys come to be, and how many instances one key may activate (0 = unlimited). */
export interface LicenseKeySettings {
  mode: LicenseMode;
  activationLimit: number;
}

export const LicenseKeySettingsSchema = z
  .object({
    mode: z.enum(LICENSE_MODES),
    activationLimit: z.number().int().min(0).max(10_000),
  })
  .strict()
  .meta({ id: 'LicenseKeySettings' });

/** Even an unlimited key holds at most this many activations at once (one item: DynamoDB's 400 KB). */
export const MAX_ACTIVATIONS_PER_KEY = 1000;

/** At most this many keys are assigned per line (quantity): a larger quantity gets keys for the first units only. */
export const MAX_KEYS_PER_LINE = 100;

/**
 * What a key may look like: the generated format, and what sellers' pools
 * usually hold (letters, digits, `-`, `_`, `.`, `~`, `:`, `+`, `=`), 4–128
 * characters. Anything else cannot be a key and is refused without a lookup.
 */
export const LICENSE_KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._~:+=-]{3,127}$/;
export const isLicenseKeyShape = (value: string): boolean => LICENSE_KEY_PATTERN.test(value);

/** An instance of the seller's software, as the software names it (a machine id, an install id). */
export const INSTANCE_ID_PATTERN = /^[\x21-\x7e]{1,128}$/;

/** Crockford's base32: no I, L, O, U, so a key read aloud or retyped is not misread. */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const GROUPS = 6;
const GROUP_LENGTH = 5;

/**
 * A new key: 150 random bits in Crockford base32, six groups of five
 * (`7K3QD-9XW2M-…`), readable and easy to type.
 */
export const newLicenseKey = (bytes: Buffer = randomBytes(19)): string => {
  let bits = 0n;
  for (const byte of bytes.subarray(0, 19)) bits = (bits << 8n) | BigInt(byte);
  // 152 bits read; the 150 taken are the 30 characters.
  bits >>= 2n;
  const chars: string[] = [];
  for (let i = 0; i < GROUPS * GROUP_LENGTH; i++) {
    chars.unshift(CROCKFORD[Number(bits & 31n)] as string);
    bits >>= 5n;
  }
  return Array.from({ length: GROUPS }, (_, g) => chars.slice(g * GROUP_LENGTH, (g + 1) * GROUP_LENGTH).join('')).join('-');
};

export const GENERATED_KEY_PATTERN = new RegExp(`^[${CROCKFORD}]{${GROUP_LENGTH}}(-[${CROCKFORD}]{${GROUP_LENGTH}}){${GROUPS - 1}}$`);

/**
 * The slot of one unit bought: deterministic per (invoice, product, unit), so
 * every replay, concurrent duplicate or retry after a crash asks for the same
 * slot, and the store assigns each slot one key, once.
 */
export const licenseSlotId = (invoiceId: string, productId: string, unit: number): string =>
  `slot#${createHash('sha256').update(`${invoiceId}\n${productId}\n${unit}`).digest('base64url')}`;

/** The same instance activating twice is the same activation: its id derives from the key and the instance. */
export const activationIdOf = (key: string, instanceId: string): string =>
  createHash('sha256').update(`${key}\n${instanceId}`).digest().subarray(0, 16).toString('base64url');

/** `available`: in a pool, not sold yet. The rest follow the invoice (or an operator's revoke). */
export type LicenseStatus = 'available' | 'active' | 'suspended' | 'revoked';
export const LICENSE_STATUSES = ['available', 'active', 'suspended', 'revoked'] as const satisfies readonly LicenseStatus[];

export interface Activation {
  activationId: string;
  at: string;
}

/** One license key: where it came from, whose it is, its state and its activations. */
export interface License {
  key: string;
  productId: string;
  productName: string | null;
  source: LicenseMode;
  status: LicenseStatus;
  /** The payment state key (or operator action time) that set `status`: a newer one wins, like links. */
  statusAt: string;
  invoiceId: string | null;
  customerId: string | null;
  /** Copied from the product when assigned: a key keeps the limit it was sold with. */
  activationLimit: number;
  /** instanceId → activation. */
  activations: Record<string, Activation>;
  importedAt: string | null;
  assignedAt: string | null;
  lastValidatedAt: string | null;
}

/** A unit bought, asking for its key. */
export interface LicenseSlot {
  slotId: string;
  invoiceId: string;
  customerId: string;
  productId: string;
  productName: string | null;
  unit: number;
  activationLimit: number;
  status: 'active' | 'suspended' | 'revoked';
  statusAt: string;
  now: string;
}

export const activationCountOf = (license: Pick<License, 'activations'>): number => Object.keys(license.activations).length;

/** Seats left; null when unlimited. */
export const activationsLeftOf = (license: Pick<License, 'activations' | 'activationLimit'>): number | null =>
  license.activationLimit === 0 ? null : Math.max(0, license.activationLimit - activationCountOf(license));

/** A key as its buyer sees it (`GET /licenses/customer`). */
export const customerLicenseView = (license: License) => ({
  key: license.key,
  productId: license.productId,
  productName: license.productName,
  invoiceId: license.invoiceId,
  status: license.status === 'available' ? ('active' as const) : license.status,
  activationLimit: license.activationLimit === 0 ? null : license.activationLimit,
  activations: activationCountOf(license),
  activationsLeft: activationsLeftOf(license),
  assignedUtc: license.assignedAt,
});

/** A key as an operator sees it (the Download Manager, the pool listing): its activations too, oldest first (ties by instance). */
export const operatorLicenseView = (license: License) => ({
  ...customerLicenseView(license),
  status: license.status,
  source: license.source,
  customerId: license.customerId,
  importedUtc: license.importedAt,
  lastValidatedUtc: license.lastValidatedAt,
  instances: Object.entries(license.activations)
    .map(([instanceId, a]) => ({ instanceId, activationId: a.activationId, activatedUtc: a.at }))
    .sort((a, b) => a.activatedUtc.localeCompare(b.activatedUtc) || a.instanceId.localeCompare(b.instanceId)),
});

/** What happened to a key, as its last write records it (the stream turns it into the key's log). */
export interface LicenseEvent {
  kind: 'assigned' | 'imported' | 'activated' | 'deactivated' | 'validated' | 'reset' | 'revoked' | 'payment';
  at: string;
  instanceId?: string | null | undefined;
  /** The operator's `sub` for admin actions. */
  actor?: string | null | undefined;
  ip?: string | null | undefined;
  userAgent?: string | null | undefined;
  /** The key's status after it (payment events, validations). */
  status?: string | undefined;
}

/** One line of a key's log, keyed by the write's revision so a replayed stream record rewrites the same line. */
export interface LicenseLogEntry extends LicenseEvent {
  key: string;
  entryKey: string;
}

export const licenseLogEntryOf = (key: string, revision: number, event: LicenseEvent): LicenseLogEntry => ({
  key,
  entryKey: String(revision).padStart(12, '0'),
  kind: event.kind,
  at: event.at,
  instanceId: event.instanceId ?? null,
  actor: event.actor ?? null,
  ip: event.ip ?? null,
  userAgent: event.userAgent ?? null,
  ...(event.status ? { status: event.status } : {}),
});
