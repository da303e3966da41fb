/**
 * The `readers` settings: whose sign-in the deployment trusts (docs/readers.md). Each issuer is
 * verified with an HS256 shared secret (given directly locally, or as a Secrets Manager ARN on
 * AWS, where the CDK app puts it) or with the RS256/ES256/EdDSA keys at its JWKS URL.
 */
import * as v from 'valibot';

/** A badge's name: what `readers.badges` lists and a comment's `author.badges` holds. */
export const BADGE = /^[a-z0-9][a-z0-9-]{0,31}$/;
/** HS256 wants a key at least as long as its hash (RFC 7518, 3.2): 32 bytes. */
export const MIN_READER_SECRET_LENGTH = 32;

const text = (name: string, max: number) =>
  v.pipe(
    v.string(`${name} must be text`),
    v.minLength(1, `${name} must not be empty`),
    v.maxLength(max, `${name} must be at most ${max} characters`),
  );

/** https, or http to this machine only (a local JWKS server in development and tests). */
function isKeySetUrl(value: string): boolean {
  try {
    const url = new URL(value);
    if (url.protocol === 'https:') return true;
    return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  } catch {
    return false;
  }
}

const issuer = v.pipe(
  v.strictObject(
    {
      issuer: text('readers.issuers[].issuer', 512),
      audience: text('readers.issuers[].audience', 512),
      secret: v.optional(
        v.pipe(
          v.string('readers.issuers[].secret must be text'),
          v.minLength(
            MIN_READER_SECRET_LENGTH,
            `readers.issuers[].secret must be at least ${MIN_READER_SECRET_LENGTH} characters`,
          ),
        ),
      ),
      secretArn: v.optional(
        v.pipe(
          text('readers.issuers[].secretArn', 2048),
          v.regex(
            /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/,
            'readers.issuers[].secretArn must be the ARN of a Secrets Manager secret',
          ),
        ),
      ),
      jwksUrl: v.optional(
        v.pipe(
          v.string('readers.issuers[].jwksUrl must be an https URL'),
          v.check(isKeySetUrl, 'readers.issuers[].jwksUrl must be an https URL'),
        ),
      ),
    },
    (issue) =>
      issue.expected === 'never'
        ? `unknown readers.issuers[] setting ${String(issue.input)}`
        : 'readers.issuers[] must be { issuer, audience, secret } or { issuer, audience, jwksUrl }',
  ),
  v.check(
    (entry) =>
      [entry.secret, entry.secretArn, entry.jwksUrl].filter((key) => key !== undefined).length ===
      1,
    (issue) =>
      `readers issuer ${issue.input.issuer} needs exactly one of secret, secretArn or jwksUrl`,
  ),
);

export type ReaderIssuer = v.InferOutput<typeof issuer>;
/** Who may comment: anyone, any signed-in reader, or readers with one allowed badge. */
export type CommentingMode = 'anyone' | 'signed-in' | `badge:${string}`;

const badges = v.pipe(
  v.array(
    v.pipe(
      v.string(`readers.badges must be names matching ${BADGE}`),
      v.regex(BADGE, `readers.badges must be names matching ${BADGE}`),
    ),
    'readers.badges must be a list of badge names',
  ),
  v.maxLength(20, 'readers.badges lists at most 20 badges'),
);

export const READERS_SCHEMA = v.pipe(
  v.strictObject(
    {
      issuers: v.optional(
        v.pipe(
          v.array(issuer, 'readers.issuers must be a list'),
          v.maxLength(10, 'readers.issuers lists at most 10 issuers'),
          v.check(
            (list) => new Set(list.map((entry) => entry.issuer)).size === list.length,
            'readers.issuers names an issuer twice',
          ),
        ),
        [],
      ),
      badges: v.optional(badges, []),
      commenting: v.optional(v.string('readers.commenting must be text'), 'anyone'),
      signInUrl: v.optional(
        v.pipe(
          v.string('readers.signInUrl must be an http(s) URL'),
          v.url('readers.signInUrl must be an http(s) URL'),
          v.regex(/^https?:/i, 'readers.signInUrl must be an http(s) URL'),
        ),
      ),
    },
    (issue) =>
      issue.expected === 'never'
        ? `unknown readers setting ${String(issue.input)}`
        : 'readers must be an object',
  ),
  v.check(
    (readers) => isCommentingMode(readers.commenting, readers.badges),
    (issue) =>
      `readers.commenting must be anyone, signed-in or badge:<name> with a name from readers.badges (got ${JSON.stringify(issue.input.commenting)})`,
  ),
  v.check(
    (readers) => readers.commenting === 'anyone' || readers.issuers.length > 0,
    'readers.commenting other than anyone needs at least one issuer in readers.issuers',
  ),
  v.transform((readers) => ({ ...readers, commenting: readers.commenting as CommentingMode })),
);

export function isCommentingMode(mode: string, allowed: readonly string[]): boolean {
  if (mode === 'anyone' || mode === 'signed-in') return true;
  return mode.startsWith('badge:') && allowed.includes(mode.slice('badge:'.length));
}

export type ReaderSettings = v.InferOutput<typeof READERS_SCHEMA>;
