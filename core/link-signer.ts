import { notFound } from './errors';
import type { SigningKeySource } from './ports';
import { hasTokenShape, LinkTokens } from './token';

const UNKNOWN_KID_REFRESH_MS = 60_000;
/** A warm process picks up a rotation within this time even if no token names the new key. */
const KEY_SET_MAX_AGE_MS = 5 * 60_000;

/**
 * Checks a token's signature with the cached key set. A token signed by a key
 * this process has not seen yet (a rotation elsewhere) triggers one refresh,
 * at most once a minute, so forged key ids cannot hammer the key source.
 */
export class LinkSigner {
  private tokens: LinkTokens | undefined;
  private loadedAt = 0;
  private lastRefresh = Number.NEGATIVE_INFINITY;
  private refreshing: Promise<LinkTokens> | undefined;

  constructor(
    private readonly keys: SigningKeySource,
    private readonly clock: () => number = Date.now,
  ) {}

  async linkIdOf(token: string): Promise<string> {
    // A string that cannot be a token is refused before the keys are even loaded: no I/O on a cold start either.
    if (!hasTokenShape(token)) throw notFound('LINK_NOT_FOUND', 'No such download link.');
    const tokens = await this.current();
    let result = tokens.verify(token, this.clock());
    if (result && 'unknownKid' in result) {
      // Concurrent requests naming the new key share the one refresh under way.
      if (this.refreshing) result = (await this.refreshing).verify(token, this.clock());
      else if (this.clock() - this.lastRefresh > UNKNOWN_KID_REFRESH_MS) {
        this.lastRefresh = this.clock();
        result = (await this.refresh()).verify(token, this.clock());
      }
    }
    if (!result || !('linkId' in result)) throw notFound('LINK_NOT_FOUND', 'No such download link.');
    return result.linkId;
  }

  async sign(linkId: string): Promise<string> {
    return (await this.current()).sign(linkId);
  }

  /** Reads the key set again: after a rotation, new tokens are signed with the new current key. */
  async refresh(): Promise<LinkTokens> {
    this.refreshing ??= this.keys
      .refresh()
      .then((keySet) => {
        this.tokens = new LinkTokens(keySet);
        this.loadedAt = this.clock();
        return this.tokens;
      })
      .finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async current(): Promise<LinkTokens> {
    if (!this.tokens || this.clock() - this.loadedAt > KEY_SET_MAX_AGE_MS) {
      this.tokens = new LinkTokens(this.tokens ? await this.keys.refresh() : await this.keys.current());
      this.loadedAt = this.clock();
    }
    return this.tokens;
  }
}
