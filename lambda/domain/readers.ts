/**
 * Readers who sign in with the site's own accounts (docs/readers.md): the site signs a short JWT
 * for its reader, the widget sends it as `reader` in a write's body, and this module turns its
 * verified claims into the reader a comment is written by, and decides whether the deployment's
 * commenting mode lets them comment. The signature, the issuer, the audience and the times are
 * checked by the ReaderTokens port (lambda/readers/, with jose), with no table I/O.
 */
import * as v from 'valibot';
import { ServiceBusyError } from './errors';
import type { CommentingMode, ReaderSettings } from './reader-settings';

/** A reader whose token was verified. */
export interface Reader {
  /** The site's stable user id: the commenter id of everything they write. */
  sub: string;
  name: string;
  /** Stored like a guest's email, never published; null when the token carries none. */
  email: string | null;
  /** The token's badges that are on the deployment's allow-list, in its order. */
  badges: string[];
}

/**
 * The adapter that checks a token's signature (HS256 secret or the issuer's JWKS), issuer,
 * audience and times, and answers its claims; a bad token is a ReaderTokenError, keys that
 * cannot be fetched a ReaderKeysUnavailableError.
 */
export interface ReaderTokens {
  verify(token: string): Promise<Record<string, unknown>>;
}

/** What a bad token is answered with: a 401 naming the `reader` field, nothing written. */
export class ReaderTokenError extends Error {
  override name = 'ReaderTokenError';
  /** `reason` is shown to the client: it names a rule, never a claim's value. */
  constructor(readonly reason: string) {
    super(reason);
  }
}

/**
 * The issuer's JWKS could not be fetched in time (down, slow, not JSON): a fault of the moment,
 * answered 503 with Retry-After, and looked up again on a later request.
 */
export class ReaderKeysUnavailableError extends ServiceBusyError {
  override name = 'ReaderKeysUnavailableError';
  constructor(override readonly cause: unknown) {
    super("the reader issuer's keys could not be fetched");
  }
}

/** Seconds a client should wait after a 503 for an issuer's keys. */
export const KEYS_RETRY_AFTER_SECONDS = 5;

/** The commenting mode does not let this writer comment: 401 without a reader, 403 with one. */
export class CommentingNotAllowedError extends Error {
  override name = 'CommentingNotAllowedError';
  constructor(
    readonly mode: CommentingMode,
    readonly signedIn: boolean,
  ) {
    super(`commenting is ${mode}`);
  }
}

/** The longest token taken at all (a JWT with a few claims is well under 2 KB). */
export const READER_TOKEN_MAX_CHARS = 8192;
/** `exp - iat` may be at most this: a token is a short-lived pass, not a session. */
export const MAX_READER_TOKEN_LIFETIME_SECONDS = 24 * 60 * 60;
const SUB_MAX_CHARS = 128;

type TextSchema = v.GenericSchema<unknown, string>;

/**
 * The claims after the signature: `sub`, `name` (a display name, by the comment form's rules),
 * `email` (optional, by the form's rules), `badges` (optional list), and `exp - iat` at most a day.
 */
function claimsSchema(name: TextSchema, email: TextSchema) {
  return v.pipe(
    v.object({
      sub: v.pipe(
        v.string('sub must be text'),
        v.minLength(1, 'sub must not be empty'),
        v.maxLength(SUB_MAX_CHARS, `sub must be at most ${SUB_MAX_CHARS} characters`),
      ),
      name,
      email: v.nullish(v.pipe(v.unknown(), email), null),
      badges: v.optional(
        v.array(v.string('badges must be a list of names'), 'badges must be a list of names'),
        [],
      ),
      iat: v.number('iat is required'),
      exp: v.number('exp is required'),
    }),
    v.check(
      ({ iat, exp }) => exp - iat <= MAX_READER_TOKEN_LIFETIME_SECONDS,
      'exp may be at most 24 hours after iat',
    ),
  );
}

/**
 * The readers of tokens verified before, by token, each until its `exp`: a reader who writes
 * again with the same token (a second comment, a reply) costs no second signature check. Only
 * verified tokens are kept; a refused one is checked again each time.
 */
export interface VerifiedReaders {
  /** The reader of `token` if it was verified and has not expired, else `verify`'s, then kept. */
  remember(
    token: string,
    verify: () => Promise<{ reader: Reader; expiresAtMs: number }>,
  ): Promise<Reader>;
}

export interface ReaderDeps {
  tokens: ReaderTokens;
  readers: ReaderSettings;
  /** The comment form's own checks of a name and an email (domain/validation.ts). */
  schemas: { authorName: TextSchema; authorEmail: TextSchema };
  /** Absent: every token is verified each time it comes. */
  verified?: VerifiedReaders;
}

/** Builds the claim checks once per instance, not per token. */
export function readerVerifier(deps: ReaderDeps): (token: string) => Promise<Reader> {
  const claims = claimsSchema(deps.schemas.authorName, deps.schemas.authorEmail);
  const allowed = new Set(deps.readers.badges);
  const verify = async (token: string): Promise<{ reader: Reader; expiresAtMs: number }> => {
    const payload = await deps.tokens.verify(token);
    const result = v.safeParse(claims, payload, { abortEarly: true });
    if (!result.success) {
      const issue = result.issues[0];
      const claim = v.getDotPath(issue)?.split('.')[0];
      // A missing claim is reported by the object schema; the form's checks say "is required"
      // or "must be ..." without naming the claim: name it, so the site can find it.
      const message = issue.path?.at(-1)?.origin === 'key' ? 'is required' : issue.message;
      throw new ReaderTokenError(
        claim && !message.startsWith(claim) ? `${claim} ${message}` : message,
      );
    }
    const { sub, name, email, badges, exp } = result.output;
    return {
      reader: { sub, name, email, badges: [...new Set(badges)].filter((b) => allowed.has(b)) },
      expiresAtMs: exp * 1000,
    };
  };
  const { verified } = deps;
  if (verified === undefined) return async (token) => (await verify(token)).reader;
  return (token) => verified.remember(token, () => verify(token));
}

/**
 * Step 3 of the create path for the mode alone: `mode` is the article's own where it has one,
 * else the deployment's (domain/comments.ts).
 */
export function checkCommenting(mode: CommentingMode, reader: Reader | undefined): void {
  if (mode === 'anyone') return;
  if (reader === undefined) throw new CommentingNotAllowedError(mode, false);
  if (mode === 'signed-in') return;
  if (!reader.badges.includes(mode.slice('badge:'.length))) {
    throw new CommentingNotAllowedError(mode, true);
  }
}
