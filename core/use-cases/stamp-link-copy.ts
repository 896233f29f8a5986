import { isExpired, type Link } from '../link';
import { MAX_STAMPABLE_BYTES, NotStampable, stampPdf } from '../pdf-stamp';
import type { InvoiceStore, LinkStore, ObjectStore } from '../ports';
import { renderStampText, stampedObjectKey } from '../stamp';

export interface StampDeps {
  links: Pick<LinkStore, 'settleCopy'>;
  invoices: Pick<InvoiceStore, 'get'>;
  objects: ObjectStore;
  maxBytes?: number | undefined;
  log?: { warn: (message: string, details: Record<string, unknown>) => void } | undefined;
}

export type StampOutcome = 'stamped' | 'served-as-is' | 'nothing-to-do' | 'moved-on';

/** A stamped link that may still serve: not revoked and not expired at `now` (an expired link's copy is swept, never made). */
const servesCopies = (link: Link, now: string): boolean => Boolean(link.stampText && link.copyKey) && link.status !== 'revoked' && !isExpired(link, now);

/** Whether a link waits for a stamped copy of its current file version (never while it is expired: nothing would serve it). */
export const needsCopy = (link: Link, now: string): boolean => servesCopies(link, now) && link.copyVersion !== link.fileVersion;

/**
 * Whether a change of a link asks for its copy to be made: it waits for one,
 * or an expired link was given a new expiry (an operator's reset). The copy of
 * the latter may have been swept (core/use-cases/sweep-expired-copies.ts) even
 * where the link still says it is ready (a sweep that removed the objects and
 * died before it recorded so), so it is made again: the same object, rewritten.
 */
export const copyWanted = (before: Link | undefined, after: Link, now: string): 'make' | 'remake' | undefined => {
  if (needsCopy(after, now)) return 'make';
  return before && isExpired(before, now) && servesCopies(after, now) ? 'remake' : undefined;
};

/**
 * Makes a stamped link's copy of its current file version: the original
 * read whole, the buyer's line on every page and in the metadata, written
 * under the link's own key, then the link told it is ready (a conditional
 * write: a link an update moved on meanwhile is stamped again by the record
 * of that update). Idempotent: a re-run writes the same object again. A file
 * that cannot be stamped (not a readable PDF, encrypted, larger than the
 * limit) is served as it is, and said so in the log. Older versions' copies
 * are removed once the new one is ready. A link expired at `now` gets no copy;
 * `remake` makes it even where the link says it is ready (see `copyWanted`).
 */
export const stampLinkCopy = async (deps: StampDeps, link: Link, now: string, options: { remake?: boolean } = {}): Promise<StampOutcome> => {
  const wanted = options.remake ? servesCopies(link, now) : needsCopy(link, now);
  if (!wanted || !link.stampText || !link.copyKey) return 'nothing-to-do';
  const copy = { copyKey: link.copyKey, fileVersion: link.fileVersion };
  const asIs = async (reason: string) => {
    deps.log?.warn('a stamped link serves its file as it is', { linkId: link.id, fileId: link.fileId, reason });
    return (await deps.links.settleCopy(link.id, { ...copy, outcome: 'original' })) ? ('served-as-is' as const) : ('moved-on' as const);
  };
  const size = await deps.objects.sizeOf(link.objectKey);
  if (size === undefined) throw new Error(`the file ${link.fileId} of link ${link.id} is missing from the bucket`);
  if (size > (deps.maxBytes ?? MAX_STAMPABLE_BYTES)) return asIs(`larger than the ${deps.maxBytes ?? MAX_STAMPABLE_BYTES} bytes stamping supports`);
  const invoice = await deps.invoices.get(link.invoiceId);
  const line = renderStampText(link.stampText, { customerEmail: invoice?.customerEmail ?? null, invoiceId: link.invoiceId, customerId: link.customerId });
  let stamped: Uint8Array;
  try {
    stamped = await stampPdf(await deps.objects.read(link.objectKey), line);
  } catch (error) {
    if (error instanceof NotStampable) return asIs(error.message);
    throw error;
  }
  await deps.objects.write(stampedObjectKey(copy), stamped, 'application/pdf');
  if (!(await deps.links.settleCopy(link.id, { ...copy, outcome: 'stamped' }))) return 'moved-on';
  if (link.fileVersion > 1) await deps.objects.remove(olderCopies(link.copyKey, link.fileVersion));
  return 'stamped';
};

const olderCopies = (copyKey: string, below: number) => Array.from({ length: below - 1 }, (_, i) => stampedObjectKey({ copyKey, fileVersion: i + 1 }));

/** Removes every copy a link has had (revoked or deleted): its copies are the buyer's, not the shop's files. */
export const removeLinkCopies = async (deps: { objects: Pick<ObjectStore, 'remove'> }, link: Pick<Link, 'copyKey' | 'fileVersion'>): Promise<number> => {
  if (!link.copyKey) return 0;
  const keys = olderCopies(link.copyKey, link.fileVersion + 1);
  await deps.objects.remove(keys);
  return keys.length;
};
