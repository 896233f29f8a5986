import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The link-signing keyring: every key still accepted, by key id, and the one
 * new tokens are signed with. Rotation adds a key and makes it current; a
 * token signed by an older key keeps verifying until that key's retirement
 * date, and a key without one keeps verifying until an operator retires it
 * (links that never expire may carry it forever).
 */
export interface SigningKeySet {
  currentKid: string;
  keys: Record<string, string>; // kid → secret, at least 32 characters (its UTF-8 bytes are the HMAC key)
  /** kid → ISO time from which tokens of that key are refused. */
  retireAt?: Record<string, string>;
}

const KID = '[A-Za-z0-9_-]{1,16}';
const LINK_ID = '[A-Za-z0-9_-]{22}';
const SIGNATURE = '[A-Za-z0-9_-]{43}';
// Anchored and bounded: it refuses a huge string after its first 17 characters, so no length cap is needed.
const TOKEN_SHAPE = new RegExp(`^(${KID})\\.(${LINK_ID})\\.(${SIGNATURE})$`);
export const LINK_ID_PATTERN = new RegExp(`^${LINK_ID}$`);

/** Whether a string can be a token at all: checked before any key is loaded, so a forged path costs no key read. */
export const hasTokenShape = (token: string): boolean => TOKEN_SHAPE.test(token);

/**
 * Public handles of links: `<kid>.<linkId>.<HMAC-SHA256(kid.linkId)>`, URL-safe.
 * Verification is pure CPU (no I/O) and compares in constant time, so a forged
 * or malformed token is refused before anything reads the database.
 */
export class LinkTokens {
  private readonly secrets = new Map<string, Buffer>();
  private readonly currentSecret: Buffer;

  constructor(private readonly keySet: SigningKeySet) {
    for (const [kid, secret] of Object.entries(keySet.keys)) {
      const bytes = Buffer.from(secret);
      if (!new RegExp(`^${KID}$`).test(kid) || bytes.length < 32) {
        throw new Error(`signing key ${kid} is invalid: kid must match ${KID} and the secret hold ≥ 32 characters`);
      }
      this.secrets.set(kid, bytes);
    }
    const current = this.secrets.get(keySet.currentKid);
    if (!current) throw new Error('the current signing key is missing from the key set');
    this.currentSecret = current;
  }

  sign(linkId: string): string {
    const kid = this.keySet.currentKid;
    return `${kid}.${linkId}.${signature(this.currentSecret, kid, linkId)}`;
  }

  /** The link id a genuine token names; `unknownKid` when the key is not (yet) in this key set. */
  verify(token: string, now: number = Date.now()): { linkId: string } | { unknownKid: string } | null {
    const match = TOKEN_SHAPE.exec(token);
    if (!match) return null;
    const [, kid, linkId, given] = match as unknown as [string, string, string, string];
    const secret = this.secrets.get(kid);
    if (!secret) return { unknownKid: kid };
    const retireAt = this.keySet.retireAt?.[kid];
    if (retireAt !== undefined && now >= Date.parse(retireAt)) return null;
    // Compare the encoded strings, not decoded bytes: base64url's last character
    // has spare bits, and a flipped spare bit must not verify.
    // The shape check made both 43 characters, as timingSafeEqual needs.
    return timingSafeEqual(Buffer.from(given), Buffer.from(signature(secret, kid, linkId))) ? { linkId } : null;
  }
}

const signature = (secret: Buffer, kid: string, linkId: string): string => createHmac('sha256', secret).update(`${kid}.${linkId}`).digest('base64url');

/** 384 random bits, base64url: a new signing secret. */
export const newSigningSecret = (): string => randomBytes(48).toString('base64url');

/** 256 random bits: the seed an invoice's link ids derive from. */
export const newLinkSeed = (): string => randomBytes(32).toString('base64url');

/**
 * A link id: 128 bits derived from the invoice's random seed and what the link
 * delivers. Deterministic, so a replayed payment derives the same ids and
 * conditional writes make it create nothing new; unguessable, since the seed is.
 */
export const deriveLinkId = (seed: string, productId: string, fileId: string): string =>
  createHash('sha256').update(`${seed}\n${productId}\n${fileId}`).digest().subarray(0, 16).toString('base64url');

/** 128 random bits, URL-safe: ids of files and uploads. */
export const newId = (): string => randomBytes(16).toString('base64url');
