/**
 * Who writes a comment, for the create path (steps 2 and 3 of the agreed order, as far as the
 * deployment's commenting mode goes): a guest by the name and email given, or a signed-in reader
 * by the claims of a verified token (domain/readers.ts), with the fields the comment is stored
 * with and the client its rate limits count against.
 */
import type { CommentRecord } from './comment';
import { guestCommenterId } from './commenters';
import type { KeyedHasher } from './keyed-hash';
import { normaliseEmail } from './moderation';
import { clientHash } from './rate-limit';
import { checkCommenting, type Reader, ReaderTokenError } from './readers';
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
  'authorName' | 'email' | 'emailHash' | 'verified' | 'badges'
> &
  Required<Pick<CommentRecord, 'commenterId'>>;

export interface CommentWriter {
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
  // The deployment's mode; an article's own (issue 29) is to come with the gate's one read.
  checkCommenting(deps.settings.readers.commenting, reader);
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
    },
    client: readerHash,
  };
}
