/**
 * Who writes a comment, for the create path (step 2 of the agreed order): a guest by the name and
 * email given, or a signed-in reader by the claims of a verified token (domain/readers.ts), with
 * the fields the comment is stored with and the client its rate limits count against. Whether
 * they may comment on the article is the gate's (step 3, domain/comments.ts).
 */
import type { CommentRecord } from './comment';
import { guestCommenterId } from './commenters';
import type { KeyedHasher } from './keyed-hash';
import { normaliseEmail } from './moderation';
import { clientHash } from './rate-limit';
import { type Reader, ReaderTokenError } from './readers';
import type { Settings } from './settings';
import type { PostedCommentInput } from './validation';

export interface WriterDeps {
  hasher: KeyedHasher;
  settings: Settings;
  /** Verifies a signed-in reader's token; absent, no issuer is trusted. */
  verifyReader?: (token: string) => Promise<Reader>;
}

type WriterFields = Pick<
  CommentRecord,
  'authorName' | 'email' | 'emailHash' | 'verified' | 'badges' | 'subscriberHash'
> &
  Required<Pick<CommentRecord, 'commenterId'>>;

export interface CommentWriter {
  /** The signed-in reader; undefined for a guest. */
  reader?: Reader;
  fields: WriterFields;
  /** The rate-limit client: the reader's `sub` when signed in, else the source network. */
  client: string;
}

const trustNobody = async (): Promise<Reader> => {
  throw new ReaderTokenError('is not from a trusted issuer');
};

export async function commentWriter(
  deps: WriterDeps,
  input: PostedCommentInput,
  sourceIp: string,
): Promise<CommentWriter> {
  const reader =
    'reader' in input ? await (deps.verifyReader ?? trustNobody)(input.reader) : undefined;
  if (reader === undefined) {
    const { name, email } = input as { name: string; email: string };
    return {
      fields: {
        authorName: name,
        email,
        emailHash: deps.hasher.hash('email', normaliseEmail(email)),
        commenterId: guestCommenterId(deps.hasher, email),
      },
      client: clientHash(deps.hasher, sourceIp),
    };
  }
  const readerHash = deps.hasher.hash('reader', reader.sub);
  return {
    reader,
    fields: {
      authorName: reader.name,
      email: reader.email,
      // The author's identity for the first-time policy and the console: the email's hash, as
      // a guest's, when the token has one (so erasure by address finds it); else the reader's.
      emailHash:
        reader.email === null
          ? readerHash
          : deps.hasher.hash('email', normaliseEmail(reader.email)),
      verified: true,
      ...(reader.badges.length > 0 ? { badges: reader.badges } : {}),
      commenterId: reader.sub,
      // Asking to hear of replies, a reader subscribes as themselves at this address: apart from
      // a guest who types the same address (docs/notifications.md).
      ...(input.notify && reader.email !== null
        ? { subscriberHash: readerSubscriberHash(deps.hasher, reader.sub, reader.email) }
        : {}),
    },
    client: readerHash,
  };
}

/**
 * The key of a signed-in reader's reply notifications: their `sub` with the address, so a new
 * address is confirmed anew, and a guest who types the address shares nothing with the reader.
 */
export function readerSubscriberHash(hasher: KeyedHasher, sub: string, email: string): string {
  return hasher.hash('reader', `subscription\u0000${sub}\u0000${normaliseEmail(email)}`);
}
