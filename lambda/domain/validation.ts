/**
 * Input schemas for every public request, built once from the deployment's limits. Each
 * returns every bad field at once, named the way the client sent it.
 */
import * as v from 'valibot';
import type { ArticleChange } from './article-settings';
import type { FieldError } from './errors';
import { type CommentingMode, isCommentingMode } from './reader-settings';
import { READER_TOKEN_MAX_CHARS } from './readers';
import type { Settings } from './settings';

/** What an article id may hold, and how long it may be (the contract's rule). */
const ARTICLE_ID_CHARACTERS = 'A-Za-z0-9\\-_.~';
const ARTICLE_ID_MAX = 128;
const ARTICLE_ID = new RegExp(`^[${ARTICLE_ID_CHARACTERS}]{1,${ARTICLE_ID_MAX}}$`);
/** Article ids and commas only; each id's length is checked after the split. */
const ARTICLE_ID_LIST_CHARACTERS = new RegExp(`^[${ARTICLE_ID_CHARACTERS},]+$`);
const VISITOR_ID = /^[A-Za-z0-9\-_]{16,64}$/;
const COMMENT_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const CONTROL = /\p{Cc}/u;
// In a comment body, tab, newline and carriage return are text; other control characters are not.
const hasControlInBody = (body: string) => CONTROL.test(body.replace(/[\t\n\r]/g, ''));
// Deliberately syntactic: one @, a local part without spaces, a dotted domain of labels.
const EMAIL =
  /^[^\s\p{Cc}\p{Cf}\p{Cs}@"(),:;<>[\\\]]{1,64}@(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/u;

/**
 * Text people read (names, bodies). Refused: a lone surrogate, which is not text and which
 * DynamoDB may refuse; the bidi embeddings, overrides and isolates (U+202A-202E, U+2066-2069),
 * which reorder what follows them and so can make a name or a comment read as something else.
 * The marks U+200E, U+200F and U+061C stay: each is one invisible strong character that only
 * fixes how neutral characters next to it are shown, needed for numbers and punctuation beside
 * right-to-left words, and it cannot reorder the text around it.
 */
const LONE_SURROGATE = /\p{Cs}/u;
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/u;
/**
 * What shows nothing on its own: white space, separators, control and format characters, the
 * default-ignorables (zero-width spaces and joiners, U+FEFF, the Hangul fillers, variation
 * selectors, tags), combining marks with no base, and the blank Braille pattern.
 */
const INVISIBLE = /[\s\p{Z}\p{Cc}\p{Cf}\p{Cs}\p{M}\p{Default_Ignorable_Code_Point}\u2800]/gu;
const hasVisible = (text: string) => text.replace(INVISIBLE, '') !== '';

/** The checks and the NFC normalisation every free text gets, before its own rules. */
const readableText = () =>
  [
    v.check(
      (text: string) => !LONE_SURROGATE.test(text),
      'must not contain unpaired surrogate code units',
    ),
    v.check(
      (text: string) => !BIDI_CONTROL.test(text),
      'must not contain bidirectional control characters',
    ),
    // Stored and returned in one form, so equal text compares equal.
    v.transform((text: string) => text.normalize('NFC')),
    v.trim(),
    v.minLength<string, 1, 'is required'>(1, 'is required'),
    v.check(hasVisible, 'must contain a visible character'),
  ] as const;

/** Anything in a website that is not printed as itself: spaces, control and format characters. */
const NOT_IN_URL = /[\s\p{Z}\p{Cc}\p{Cf}\p{Cs}]/u;

const requiredText = (what = 'text') =>
  v.string((issue) =>
    issue.input === undefined || issue.input === null ? 'is required' : `must be ${what}`,
  );

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** `https://paypal.com@evil.example/` names evil.example; a credential there only deceives. */
const hasCredentials = (value: string) => {
  const url = new URL(value);
  return url.username !== '' || url.password !== '';
};

export const articleIdSchema = v.pipe(
  requiredText(),
  v.regex(ARTICLE_ID, 'must be 1-128 characters of A-Z a-z 0-9 - _ . ~'),
);

export const commentIdSchema = v.pipe(requiredText(), v.regex(COMMENT_ID, 'must be a comment id'));

export const visitorIdSchema = v.pipe(
  requiredText(),
  v.regex(VISITOR_ID, 'must be 16-64 characters of A-Z a-z 0-9 - _'),
);

/** The path parameters of the article routes. */
export const articlePathSchema = v.object({ articleId: articleIdSchema });
/** The path parameters of the comment routes (the author's and operators'). */
export const commentPathSchema = v.object({ commentId: commentIdSchema });
/** DELETE /articles/{articleId}/reactions: the visitor is required, unlike on GET. */
export const visitorRequiredQuerySchema = v.object({ visitorId: visitorIdSchema });

/** A time with its zone (`Z` or `+01:00`), as ISO 8601 writes it; a date alone is ambiguous. */
const ZONED_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * PATCH /admin/articles/{articleId} (domain/article-settings.ts): `open` (or the older `closed`,
 * its opposite), `closeAt`, `moderation` and `commenting`, each null for the deployment's (but
 * `open`); at least one of them.
 */
function articleChangeSchema(settings: Settings) {
  const { readers } = settings;
  const modes = ['anyone', 'signed-in', ...readers.badges.map((badge) => `badge:${badge}`)];
  const commenting = v.pipe(
    v.string(`must be one of ${modes.join(', ')}, or null`),
    v.check(
      (mode) => isCommentingMode(mode, readers.badges),
      `must be one of ${modes.join(', ')}, or null`,
    ),
    v.check(
      (mode) => mode === 'anyone' || readers.issuers.length > 0,
      'needs a reader issuer in the deployment (readers.issuers): nobody could sign in',
    ),
  );
  const change = v.pipe(
    v.object({
      open: v.optional(v.boolean('must be true or false')),
      closed: v.optional(v.boolean('must be true or false')),
      moderation: v.optional(
        v.nullable(
          v.picklist(['none', 'first-time', 'all'], 'must be none, first-time or all, or null'),
        ),
      ),
      commenting: v.optional(v.nullable(commenting)),
      closeAt: v.optional(
        v.nullable(
          v.pipe(
            v.string('must be a time such as 2026-12-24T18:00:00Z, or null'),
            v.regex(ZONED_TIME, 'must be a time such as 2026-12-24T18:00:00Z, or null'),
            v.check(
              (time) => Number.isFinite(Date.parse(time)),
              'must be a time such as 2026-12-24T18:00:00Z, or null',
            ),
            v.transform((time) => new Date(time).toISOString()),
          ),
        ),
      ),
    }),
    v.forward(
      v.check(
        ({ open, closed }) => open === undefined || closed === undefined || open !== closed,
        'contradicts closed: give one of them',
      ),
      ['open'],
    ),
    v.check(
      (fields) => Object.values(fields).some((value) => value !== undefined),
      'must change at least one of open, closeAt, moderation or commenting',
    ),
  );
  return v.pipe(
    change,
    v.transform(({ open, closed, moderation, commenting, closeAt }): ArticleChange => {
      const opened = open ?? (closed === undefined ? undefined : !closed);
      return {
        ...(opened === undefined ? {} : { open: opened }),
        ...(moderation === undefined ? {} : { moderation }),
        ...(commenting === undefined ? {} : { commenting: commenting as CommentingMode | null }),
        ...(closeAt === undefined ? {} : { closeAt }),
      };
    }),
  );
}

export function buildSchemas(settings: Settings) {
  const { limits } = settings;
  const reactionKeys = settings.reactions.map((reaction) => reaction.key);

  const emailAddress = v.pipe(
    requiredText(),
    v.trim(),
    v.minLength(1, 'is required'),
    v.maxLength(limits.emailMaxChars, `must be at most ${limits.emailMaxChars} characters`),
    v.regex(EMAIL, 'must be a valid email address'),
  );

  const commentBody = v.pipe(
    requiredText(),
    ...readableText(),
    v.maxCodePoints(limits.bodyMaxChars, `must be at most ${limits.bodyMaxChars} characters`),
    v.check((body) => !hasControlInBody(body), 'must not contain control characters'),
  );

  const commentName = v.pipe(
    requiredText(),
    ...readableText(),
    v.maxCodePoints(limits.nameMaxChars, `must be at most ${limits.nameMaxChars} characters`),
    v.check((name) => !CONTROL.test(name), 'must not contain control characters'),
  );

  // Keys the schema does not name (a forged `staff` or `pinned`, say) are dropped.
  const commentFields = {
    website: v.pipe(
      v.nullish(v.string('must be a URL'), ''),
      v.trim(),
      v.maxLength(limits.websiteMaxChars, `must be at most ${limits.websiteMaxChars} characters`),
      v.check(
        (url) => !NOT_IN_URL.test(url),
        'must not contain spaces, control or format characters',
      ),
      v.check((url) => url === '' || isHttpUrl(url), 'must be an absolute http: or https: URL'),
      v.check(
        (url) => url === '' || !hasCredentials(url),
        'must not contain a user name or password',
      ),
      // Published as a browser reads it (`https:\\a.example` is https://a.example/), not as typed.
      v.transform((url) => (url === '' ? null : new URL(url).href)),
      v.check(
        (url) => url === null || url.length <= limits.websiteMaxChars,
        `must be at most ${limits.websiteMaxChars} characters`,
      ),
    ),
    body: commentBody,
    parentId: v.pipe(
      v.nullish(v.string('must be a comment id'), null),
      v.check((id) => id === null || COMMENT_ID.test(id), 'must be a comment id'),
    ),
    // Reply notifications by email (docs/notifications.md); off unless asked.
    notify: v.optional(v.boolean('must be true or false'), false),
    // The widget's hidden honeypot field: people leave it empty, form-filling bots do not.
    homepage: v.optional(v.unknown()),
  };
  const readerToken = v.pipe(
    v.string('must be a sign-in token'),
    v.minLength(1, 'must be a sign-in token'),
    v.maxLength(READER_TOKEN_MAX_CHARS, `must be at most ${READER_TOKEN_MAX_CHARS} characters`),
  );
  const newComment = v.object({ name: commentName, email: emailAddress, ...commentFields });
  // A signed-in reader's name and email come from the token: any given ones are dropped.
  const readerComment = v.object({ ...commentFields, reader: readerToken });
  /** What POST …/comments takes: a guest's comment, or a signed-in reader's with `reader`. */
  const postedComment = v.lazy((input) => {
    const reader = (input as { reader?: unknown } | null)?.reader;
    return reader === undefined || reader === null ? newComment : readerComment;
  });

  const commentEdit = v.object({ body: commentBody });

  const pageLimit = v.pipe(
    v.optional(v.string(), String(limits.pageSizeDefault)),
    v.regex(/^\d{1,3}$/, `must be a whole number from 1 to ${limits.pageSizeMax}`),
    v.transform(Number),
    v.minValue(1, `must be a whole number from 1 to ${limits.pageSizeMax}`),
    v.maxValue(limits.pageSizeMax, `must be a whole number from 1 to ${limits.pageSizeMax}`),
  );
  const cursor = v.optional(v.pipe(v.string(), v.maxLength(2048, 'is not a valid cursor')));

  const commentListQuery = v.object({
    view: v.optional(v.literal('comments', 'must be comments or articles')),
    status: v.optional(
      v.picklist(['pending', 'published', 'spam'], 'must be pending, published or spam'),
      'pending',
    ),
    limit: pageLimit,
    cursor,
    articleId: v.optional(articleIdSchema),
  });
  // The list of articles (the export's): no status or article to filter by.
  const articleListQuery = v.object({
    view: v.literal('articles'),
    limit: pageLimit,
    cursor,
    status: v.optional(v.never('does not apply to view=articles')),
    articleId: v.optional(v.never('does not apply to view=articles')),
  });
  /** GET /admin/comments: the queue (`view=comments`, the default) or the articles. */
  const moderationQuery = v.lazy((input) =>
    (input as { view?: unknown } | null)?.view === 'articles' ? articleListQuery : commentListQuery,
  );

  const moderationCountsQuery = v.object({ articleId: v.optional(articleIdSchema) });

  // `pending` puts a decision back: what the console's undo does.
  const moderationChange = v.object({
    status: v.pipe(
      requiredText(),
      v.picklist(['published', 'spam', 'pending'], 'must be published, spam or pending'),
    ),
  });

  const erasure = v.object({
    email: emailAddress,
  });

  const articleChange = articleChangeSchema(settings);

  // A moderator's comment: a byline (the desk's name, say) instead of a reader's details.
  const staffReply = v.object({
    name: commentName,
    body: commentBody,
    parentId: v.pipe(
      v.nullish(v.string('must be a comment id'), null),
      v.check((id) => id === null || COMMENT_ID.test(id), 'must be a comment id'),
    ),
  });

  const reactionChoice = v.object({
    visitorId: visitorIdSchema,
    reaction: v.pipe(
      requiredText(),
      v.picklist(reactionKeys, `must be one of: ${reactionKeys.join(', ')}`),
    ),
  });

  const listQuery = v.object({
    limit: pageLimit,
    order: v.optional(v.picklist(['oldest', 'newest'], 'must be oldest or newest'), 'oldest'),
    cursor,
  });

  /** The thread: the first page only, so no cursor (the comment list continues it). */
  const threadQuery = v.object({ limit: listQuery.entries.limit, order: listQuery.entries.order });

  const visitorQuery = v.object({ visitorId: v.optional(visitorIdSchema) });

  const articleIdsMessage =
    'must be article ids of 1-128 characters of A-Z a-z 0-9 - _ . ~, separated by commas';
  const countsQuery = v.object({
    articles: v.pipe(
      requiredText('a comma-separated list of article ids'),
      // One pass over the whole list for the characters, then a length per id: a regex that
      // counts each id's length took twice as long on a list of 100.
      v.regex(ARTICLE_ID_LIST_CHARACTERS, articleIdsMessage),
      v.transform((list) => list.split(',')),
      v.check(
        (ids) => ids.every((id) => id.length > 0 && id.length <= ARTICLE_ID_MAX),
        articleIdsMessage,
      ),
      v.maxLength(
        limits.countsMaxArticles,
        `must list at most ${limits.countsMaxArticles} article ids`,
      ),
      // The same id twice is one id (and a batch read refuses duplicate keys).
      v.transform((ids) => [...new Set(ids)]),
    ),
  });

  return {
    newComment,
    postedComment,
    // A signed-in reader's name and email claims pass the form's own checks (domain/readers.ts).
    authorName: commentName,
    authorEmail: emailAddress,
    commentEdit,
    reactionChoice,
    listQuery,
    threadQuery,
    visitorQuery,
    countsQuery,
    moderationQuery,
    moderationCountsQuery,
    moderationChange,
    erasure,
    articleChange,
    staffReply,
  };
}

export type Schemas = ReturnType<typeof buildSchemas>;
export type NewCommentInput = v.InferOutput<Schemas['newComment']>;
/** A posted comment: a guest's (name and email) or a signed-in reader's (`reader`). */
export type PostedCommentInput = v.InferOutput<Schemas['postedComment']>;

export type Validated<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/** Runs a schema and reports at most one message per field, for every bad field. */
export function validate<S extends v.GenericSchema>(
  schema: S,
  input: unknown,
  prefix = '',
): Validated<v.InferOutput<S>> {
  const result = v.safeParse(schema, input, { abortEarly: false, abortPipeEarly: true });
  if (result.success) return { ok: true, value: result.output };
  const errors: FieldError[] = [];
  for (const issue of result.issues) {
    const path = v.getDotPath(issue);
    const field = prefix + (path ?? '');
    // A missing key is reported by its object schema, with a generic message.
    const message = issue.path?.at(-1)?.origin === 'key' ? 'is required' : issue.message;
    if (!errors.some((error) => error.field === field)) {
      errors.push({ field, message });
    }
  }
  return { ok: false, errors };
}
