import type { Link, LinkStatus } from '../../core/link';
import type { Requester } from '../../core/ports';
import { itemReader } from './items';

/**
 * The links table's item layout and the redeem's expressions, without the
 * SDK: the download function's wire client (adapters/dynamo/wire-redeem.ts)
 * and the SDK store (link-store.ts) send the very same request.
 */

/** The item layout: a Link, with `expiresAt` absent when it never expires, plus the listing key. */
export type LinkItem = Omit<Link, 'expiresAt'> & { expiresAt?: string; listKey?: string };

export const toItem = (link: Link): LinkItem => {
  const { expiresAt, stampText, copyKey, copyVersion, flaggedAt, flaggedNetworks, sharingSuspendedAt, sharingResetAt, ...rest } = link;
  // Absent rather than NULL: the redeem's condition reads `attribute_not_exists(stampText)` as "not stamped".
  return {
    ...rest,
    ...(expiresAt ? { expiresAt } : {}),
    ...(stampText ? { stampText, copyKey } : {}),
    ...(copyVersion !== null ? { copyVersion } : {}),
    // Absent rather than NULL: the flag's write is `attribute_not_exists(flaggedAt)`, the redeem's `attribute_not_exists(sharingSuspendedAt)`.
    ...(flaggedAt ? { flaggedAt, flaggedNetworks } : {}),
    ...(sharingSuspendedAt ? { sharingSuspendedAt } : {}),
    ...(sharingResetAt ? { sharingResetAt } : {}),
    listKey: `${link.createdAt}#${link.id}`,
  } as LinkItem;
};

const STATUSES = ['active', 'suspended', 'revoked'] as const satisfies readonly LinkStatus[];
const METHODS = ['InstantDownload', 'EmailDelivered'] as const;

/** A stored link item as the domain's Link (checked, not cast); undefined for no item. */
export const toLink = (item: Record<string, unknown> | undefined): Link | undefined => {
  if (!item) return undefined;
  const read = itemReader('links', item);
  return {
    id: read.string('id'),
    invoiceId: read.string('invoiceId'),
    customerId: read.string('customerId'),
    productId: read.string('productId'),
    productName: read.optionalString('productName'),
    fileId: read.string('fileId'),
    fileName: read.string('fileName'),
    contentType: read.string('contentType'),
    objectKey: read.string('objectKey'),
    deliveryMethod: read.oneOf('deliveryMethod', METHODS),
    expiresAt: read.optionalString('expiresAt'),
    maxDownloads: read.number('maxDownloads'),
    downloadCount: read.number('downloadCount'),
    status: read.oneOf('status', STATUSES),
    statusAt: read.string('statusAt'),
    createdAt: read.string('createdAt'),
    lastDownloadAt: read.optionalString('lastDownloadAt'),
    lastIp: read.optionalString('lastIp'),
    lastUserAgent: read.optionalString('lastUserAgent'),
    // Links issued before updates existed are at their first version.
    fileVersion: read.number('fileVersion', 1),
    updatedAt: read.optionalString('updatedAt'),
    updateId: read.optionalString('updateId'),
    stampText: read.optionalString('stampText'),
    copyKey: read.optionalString('copyKey'),
    copyVersion: (read.raw('copyVersion') ?? null) === null ? null : read.number('copyVersion'),
    flaggedAt: read.optionalString('flaggedAt'),
    flaggedNetworks: (read.raw('flaggedNetworks') ?? null) === null ? null : read.number('flaggedNetworks'),
    sharingSuspendedAt: read.optionalString('sharingSuspendedAt'),
    sharingResetAt: read.optionalString('sharingResetAt'),
  };
};

/**
 * The download rule as one condition expression, the same rule `refusalFor`
 * states in the domain: owner, active, not suspended for sharing, unexpired, under the limit.
 */
export const REDEEM_CONDITION =
  'customerId = :customer AND #status = :active AND (attribute_not_exists(expiresAt) OR expiresAt > :now) AND (maxDownloads = :zero OR downloadCount < maxDownloads) ' +
  // A stamped link serves only its current version's copy, once it is made (`isCopyReady`).
  'AND (attribute_not_exists(stampText) OR copyVersion = fileVersion) ' +
  // Suspended for sharing (core/sharing.ts) until an operator resets it.
  'AND attribute_not_exists(sharingSuspendedAt)';

/** The last requester rides in the same write; the stream turns it into the link's log. */
export const REDEEM_UPDATE = 'SET downloadCount = downloadCount + :one, lastDownloadAt = :now, lastIp = :ip, lastUserAgent = :ua';

/** The whole redeem request, with plain values (the document client's and aws-lite's form); the wire client marshals the same. */
export const redeemRequest = (table: string, linkId: string, customerId: string, now: string, requester: Requester) => ({
  TableName: table,
  Key: { id: linkId },
  UpdateExpression: REDEEM_UPDATE,
  ConditionExpression: REDEEM_CONDITION,
  ExpressionAttributeNames: { '#status': 'status' },
  ExpressionAttributeValues: {
    ':customer': customerId,
    ':active': 'active',
    ':now': now,
    ':zero': 0,
    ':one': 1,
    ':ip': requester.ip,
    ':ua': requester.userAgent,
  },
  ReturnValues: 'ALL_NEW' as const,
  ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
});
