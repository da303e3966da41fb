/**
 * The instance's memory of verified reader tokens (domain/readers.ts VerifiedReaders): a bounded
 * map, least recently used out first, from a SHA-256 digest of each token (the token itself is
 * not kept: a dump of the memory holds no credential) to its reader, until the token's `exp`.
 * Nothing here is logged.
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../domain/ids';
import type { Reader, VerifiedReaders } from '../domain/readers';

/**
 * Tokens remembered at once: a reader and a digest are well under 1 KB, so at most about 1 MB.
 * An instance serves one request at a time, so this is a thousand recent writers.
 */
export const VERIFIED_READERS_MAX = 1000;

interface Entry {
  reader: Reader;
  expiresAtMs: number;
}

export class VerifiedReaderCache implements VerifiedReaders {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly clock: Clock,
    private readonly maxEntries = VERIFIED_READERS_MAX,
  ) {}

  async remember(
    token: string,
    verify: () => Promise<{ reader: Reader; expiresAtMs: number }>,
  ): Promise<Reader> {
    const digest = createHash('sha256').update(token).digest('base64url');
    const known = this.entries.get(digest);
    if (known !== undefined) {
      // Taken out either way: put back last (most recent) while it lasts, dropped once expired.
      this.entries.delete(digest);
      if (this.clock() < known.expiresAtMs) {
        this.entries.set(digest, known);
        return known.reader;
      }
    }
    const fresh = await verify();
    if (this.clock() < fresh.expiresAtMs) {
      this.entries.set(digest, fresh);
      if (this.entries.size > this.maxEntries) {
        const oldest = this.entries.keys().next().value;
        if (oldest !== undefined) this.entries.delete(oldest);
      }
    }
    return fresh.reader;
  }

  /** How many tokens are remembered (for tests of the bound). */
  get size(): number {
    return this.entries.size;
  }
}
