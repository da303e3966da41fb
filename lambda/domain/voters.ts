/**
 * Who a like or a report counts for: a signed-in reader by their `sub` (the token verified as a
 * comment's is, domain/readers.ts), else the browser's visitor id; each stored only as a keyed
 * hash. Rate limits count a signed-in reader by their `sub` too, and a guest by their network.
 */
import type { KeyedHasher } from './keyed-hash';
import { clientHash } from './rate-limit';
import { type Reader, ReaderTokenError } from './readers';

export interface Voter {
  /** The keyed hash that makes one like, or one report, per person. */
  hash: string;
  /** The rate-limit client. */
  client: string;
}

export interface VoterDeps {
  hasher: KeyedHasher;
  verifyReader?: (token: string) => Promise<Reader>;
}

const trustNobody = async (): Promise<Reader> => {
  throw new ReaderTokenError('is not from a trusted issuer');
};

/** The same hash a signed-in reader's comments are counted by (domain/comment-writer.ts). */
export const readerHash = (hasher: KeyedHasher, sub: string): string => hasher.hash('reader', sub);

export async function voterOf(
  deps: VoterDeps,
  request: { visitorId?: string; reader?: string; sourceIp: string },
  guestHash: (visitorId: string) => string,
): Promise<Voter> {
  if (request.reader !== undefined) {
    const reader = await (deps.verifyReader ?? trustNobody)(request.reader);
    const hash = readerHash(deps.hasher, reader.sub);
    return { hash, client: hash };
  }
  if (request.visitorId === undefined) {
    // The schemas ask for one of the two; a caller that passes neither is a bug.
    throw new Error('a voter needs a visitorId or a reader token');
  }
  return {
    hash: guestHash(request.visitorId),
    client: clientHash(deps.hasher, request.sourceIp),
  };
}
