import { forbidden, gone, notFound, notYet } from '../errors';
import { stampedObjectKey } from '../stamp';
import { refusalFor, type Refusal } from '../link';
import { downloadRefusedEntry } from '../link-log';
import type { FileStorage, LinkLog, LinkStore, Requester } from '../ports';
import type { LinkSigner } from '../link-signer';

export interface DownloadDeps {
  signer: LinkSigner;
  /** Only the one conditional write: the download function's wire client implements just that. */
  links: Pick<LinkStore, 'redeem'>;
  storage: Pick<FileStorage, 'presignDownload'>;
  presignedUrlTtlSeconds: number;
  /** Refusals are logged here (a refusal may cost a write); served downloads reach the log from the link's stream. */
  linkLog: Pick<LinkLog, 'record'>;
  onLogFailure?: (error: unknown) => void;
}

export interface DownloadGrant {
  url: string;
  expiresInSeconds: number;
}

const REFUSALS: Record<Refusal, () => Error> = {
  LINK_NOT_FOUND: () => notFound('LINK_NOT_FOUND', 'No such download link.'),
  NOT_LINK_OWNER: () => forbidden('NOT_LINK_OWNER', 'This download link belongs to another account.'),
  REVOKED: () => forbidden('REVOKED', 'This download link has been revoked.'),
  ORDER_ON_HOLD: () => forbidden('ORDER_ON_HOLD', 'The order is on hold; downloads resume once the payment clears.'),
  LINK_SUSPENDED_SHARING: () =>
    forbidden('LINK_SUSPENDED_SHARING', 'This download link was suspended because it was downloaded from many networks; the shop can restore it.'),
  LINK_EXPIRED: () => gone('LINK_EXPIRED', 'This download link has expired.'),
  DOWNLOAD_LIMIT_REACHED: () => gone('DOWNLOAD_LIMIT_REACHED', 'This download link has reached its download limit.'),
  // Nothing was counted: the copy is being made (seconds after a purchase or an update).
  COPY_NOT_READY: () => notYet('COPY_NOT_READY', 'Your personal copy of this file is being prepared; try again in a few seconds.', COPY_RETRY_AFTER_SECONDS),
};

/** What a download of a copy not made yet answers as Retry-After: stamping a typical PDF takes well under a second. */
const COPY_RETRY_AFTER_SECONDS = 3;

/**
 * The hot path: verify the token (CPU only), redeem the link in one
 * conditional write that decides and counts, then presign a short-lived GET.
 * Nothing else waits on the way: the link's log flows from the write.
 */
export const downloadFile = async (
  deps: DownloadDeps,
  request: { token: string; customerId: string; now: string; requester: Requester },
): Promise<DownloadGrant> => {
  const linkId = await deps.signer.linkIdOf(request.token);
  const outcome = await deps.links.redeem(linkId, request.customerId, request.now, request.requester);
  if (!outcome.served) {
    // A failed condition on a link that would serve now means it changed under us; still a refusal.
    const refusal = refusalFor(outcome.link, request.customerId, request.now) ?? 'DOWNLOAD_LIMIT_REACHED';
    if (outcome.link) {
      const entry = downloadRefusedEntry({ linkId, at: request.now, code: refusal, ...request.requester });
      // The refusal is the answer; a log write that fails must not turn it into an error.
      await deps.linkLog.record([entry]).catch((error) => deps.onLogFailure?.(error));
    }
    throw REFUSALS[refusal]();
  }
  const { link } = outcome;
  const url = await deps.storage.presignDownload({
    // A stamped link serves its own copy (the redeem's condition made sure it is the current version's).
    objectKey: link.stampText && link.copyKey ? stampedObjectKey({ copyKey: link.copyKey, fileVersion: link.fileVersion }) : link.objectKey,
    fileName: link.fileName,
    contentType: link.contentType,
    expiresInSeconds: deps.presignedUrlTtlSeconds,
  });
  return { url, expiresInSeconds: deps.presignedUrlTtlSeconds };
};
