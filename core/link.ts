import type { DeliveryMethod } from './product';
import type { SharingView } from './sharing';
import { toPublicTime } from './time';

export type LinkStatus = 'active' | 'suspended' | 'revoked';

/**
 * A download link: what one customer may download of one file bought on one
 * invoice. It keeps a copy of everything a download needs (object key, name,
 * type, limits), so the hot path reads nothing but this item, and product
 * edits never change links already issued.
 */
export interface Link {
  id: string;
  invoiceId: string;
  customerId: string;
  productId: string;
  /** The product's display name when the link was issued (null: it had none, or the link predates this field). */
  productName: string | null;
  fileId: string;
  fileName: string;
  contentType: string;
  objectKey: string;
  deliveryMethod: DeliveryMethod;
  /** Stored ISO time; null = never expires. */
  expiresAt: string | null;
  /** 0 = unlimited. */
  maxDownloads: number;
  downloadCount: number;
  status: LinkStatus;
  /** `occurredAt` of the payment event that last set `status` (orders concurrent and late events). */
  statusAt: string;
  createdAt: string;
  lastDownloadAt: string | null;
  lastIp: string | null;
  lastUserAgent: string | null;
  /** 1 for the file the link was issued with; each update of the product's file that reaches the link adds one. */
  fileVersion: number;
  /** When an update last repointed the link to a new file (null: never). */
  updatedAt: string | null;
  /** The update that last repointed it: a re-run of that update's batch recognises its own work. */
  updateId: string | null;
  /** The stamp's template when the link serves a stamped copy (core/stamp.ts); null: the file as it is. */
  stampText: string | null;
  /** The link's own unguessable prefix for its stamped copies; set with `stampText`. */
  copyKey: string | null;
  /** The file version whose stamped copy is ready (null: none yet); the link serves only when it is `fileVersion`. */
  copyVersion: number | null;
  /** When the link crossed the sharing threshold (core/sharing.ts); null: not flagged, or reset since. */
  flaggedAt: string | null;
  /** The networks it had been downloaded from when it was flagged. */
  flaggedNetworks: number | null;
  /** Set with the flag when the product suspends shared links (`suspendOnSharing`): refused until an operator resets it. */
  sharingSuspendedAt: string | null;
  /** An operator's last reset of the flag: downloads before it no longer count as sharing. */
  sharingResetAt: string | null;
}

/** A link's sharing state before any flag: what a new link (issued, or regenerated) starts with. */
export const UNFLAGGED = { flaggedAt: null, flaggedNetworks: null, sharingSuspendedAt: null, sharingResetAt: null } as const satisfies Partial<Link>;

/** Why a link refuses a download right now, by the contract's error codes; null when it serves. */
export type Refusal =
  | 'LINK_NOT_FOUND'
  | 'NOT_LINK_OWNER'
  | 'REVOKED'
  | 'ORDER_ON_HOLD'
  | 'LINK_SUSPENDED_SHARING'
  | 'LINK_EXPIRED'
  | 'DOWNLOAD_LIMIT_REACHED'
  | 'COPY_NOT_READY';

/**
 * The rule a download obeys, in the order its refusals are reported. The
 * DynamoDB adapter states the same rule as one condition expression; this
 * function explains a failed condition from the item it returns.
 */
export const refusalFor = (link: Link | undefined, customerId: string, now: string): Refusal | null => {
  if (!link) return 'LINK_NOT_FOUND';
  if (link.customerId !== customerId) return 'NOT_LINK_OWNER';
  if (link.status === 'revoked') return 'REVOKED';
  if (link.status === 'suspended') return 'ORDER_ON_HOLD';
  if (link.sharingSuspendedAt) return 'LINK_SUSPENDED_SHARING';
  if (isExpired(link, now)) return 'LINK_EXPIRED';
  if (isLimitReached(link)) return 'DOWNLOAD_LIMIT_REACHED';
  if (!isCopyReady(link)) return 'COPY_NOT_READY';
  return null;
};

export const isExpired = (link: Pick<Link, 'expiresAt'>, now: string): boolean => link.expiresAt !== null && link.expiresAt <= now;

/** A stamped link serves only once the copy of its current file version is made. */
export const isCopyReady = (link: Pick<Link, 'stampText' | 'copyVersion' | 'fileVersion'>): boolean => !link.stampText || link.copyVersion === link.fileVersion;

export const isLimitReached = (link: Pick<Link, 'maxDownloads' | 'downloadCount'>): boolean => link.maxDownloads > 0 && link.downloadCount >= link.maxDownloads;

/** The contract's `DownloadLink`. */
export interface DownloadLinkView {
  id: string;
  productId: string;
  productName: string | null;
  invoiceId: string;
  fileName: string;
  downloadUrl: string | null;
  deliveryMethod: DeliveryMethod;
  status: LinkStatus;
  expiresUtc: string | null;
  maxDownloads: number | null;
  downloadCount: number;
  remainingDownloads: number | null;
  lastDownloadUtc: string | null;
  isExpired: boolean;
  isDownloadLimitReached: boolean;
  createdUtc: string | null;
  fileVersion: number;
  updatedUtc: string | null;
  /** Operators' views only: the link's sharing signals (core/sharing.ts). */
  sharing?: SharingView;
}

/** Where a token's download lives on the shop's public address (which may carry a path). */
export const downloadUrlFor = (publicBaseUrl: string, token: string): string => `${publicBaseUrl.replace(/\/+$/, '')}/downloads/${token}`;

/**
 * The customer's view. `EmailDelivered` links carry no URL here: they reach the
 * customer by email only (`audience: 'operator' | 'email'` always get the URL).
 */
export const toDownloadLinkView = (link: Link, ctx: { now: string; downloadUrl: string; audience: 'customer' | 'operator' | 'email' }): DownloadLinkView => {
  const unlimited = link.maxDownloads === 0;
  const showUrl = ctx.audience !== 'customer' || link.deliveryMethod === 'InstantDownload';
  return {
    id: link.id,
    productId: link.productId,
    productName: link.productName ?? null,
    invoiceId: link.invoiceId,
    fileName: link.fileName,
    downloadUrl: showUrl ? ctx.downloadUrl : null,
    deliveryMethod: link.deliveryMethod,
    // A link suspended for sharing is suspended to everyone who sees it, until an operator resets it.
    status: link.status === 'active' && link.sharingSuspendedAt ? 'suspended' : link.status,
    expiresUtc: toPublicTime(link.expiresAt),
    maxDownloads: unlimited ? null : link.maxDownloads,
    downloadCount: link.downloadCount,
    remainingDownloads: unlimited ? null : Math.max(0, link.maxDownloads - link.downloadCount),
    lastDownloadUtc: toPublicTime(link.lastDownloadAt),
    isExpired: isExpired(link, ctx.now),
    isDownloadLimitReached: isLimitReached(link),
    createdUtc: toPublicTime(link.createdAt),
    fileVersion: link.fileVersion,
    updatedUtc: toPublicTime(link.updatedAt),
  };
};
