import { type ArticleDefaults, isOpen, secondsUnchanged } from './article-settings';
import { type CommentRecord, type PublicComment, toPublicComment } from './comment';
import { commentWriter, type WriterDeps } from './comment-writer';
import { gateCommenter } from './commenters';
import { decodeCursor, encodeCursor, type ListOrder } from './cursor';
import { articleOfToken, issueEditToken, tokenMatches } from './edit-token';
import { ArticleClosedError, BadCursorError, ForbiddenError, NotAuthorizedError } from './errors';
import type { Clock, IdGenerator } from './ids';
import type { KeyedHasher } from './keyed-hash';
import { countLinks, dispositionFor } from './moderation';
import { notifyCharge } from './notifications';
import type { ArticleStats, CommentPage, CommentStore } from './ports';
import { rateCharges } from './rate-limit';
import { checkCommenting } from './readers';
import { type Screening, screenComment } from './screen';
import type { Settings } from './settings';
import type { PostedCommentInput } from './validation';

export interface CommentDeps extends WriterDeps {
  store: CommentStore;
  clock: Clock;
  newId: IdGenerator;
  hasher: KeyedHasher;
  settings: Settings;
}

/** The create and edit paths screen the text too (domain/screen.ts). */
export type ScreenedCommentDeps = CommentDeps & { screening: Screening };

export interface CreatedComment {
  comment: PublicComment;
  status: 'published' | 'pending';
  editToken: string;
}

export async function createComment(
  deps: ScreenedCommentDeps,
  request: { articleId: string; input: PostedCommentInput; sourceIp: string },
): Promise<CreatedComment> {
  const { articleId, input } = request;
  // Step 2: who writes (a reader's token is verified here, with no table I/O).
  const writer = await commentWriter(deps, input, request.sourceIp);
  const now = deps.clock();
  // Step 3, the gate, from one read of the article's settings and the commenter's record: is
  // the article open, may this writer comment on it, are they banned or suspended.
  const { article, commenter } = await deps.store.gate(articleId, writer.fields.commenterId);
  if (!isOpen(article, articleDefaults(deps.settings), now)) throw new ArticleClosedError();
  checkCommenting(article.commenting ?? deps.settings.readers.commenting, writer.reader);
  const trusted = gateCommenter(commenter, now);
  const moderation = {
    ...deps.settings.moderation,
    policy: article.moderation ?? deps.settings.moderation.policy,
  };
  // Anything in the hidden field but blank text gives a bot away, whatever its JSON type.
  const trap = input.homepage;
  const honeypot =
    trap !== undefined && trap !== null && !(typeof trap === 'string' && trap.trim() === '');
  const commentId = deps.newId(now);
  const { disposition, holdReasons, ...screened } = await screenComment(
    deps.screening,
    dispositionFor(
      moderation,
      {
        body: input.body,
        website: input.website,
        honeypot,
      },
      trusted,
    ),
    // Name and email as the comment is stored: a signed-in reader's from the token (step 2).
    {
      articleId,
      commentId,
      parentId: input.parentId,
      authorName: writer.fields.authorName,
      body: input.body,
      email: writer.fields.email,
    },
  );
  const editToken = issueEditToken(articleId, deps.hasher);
  // Held by the article's own `all` (a moderator's choice for this article) says so.
  const reasons = [
    ...(article.moderation === 'all' && disposition === 'pending' ? ['article-policy'] : []),
    ...(holdReasons ?? []),
  ];
  const record: CommentRecord = {
    commentId,
    articleId,
    parentId: input.parentId,
    ...writer.fields,
    authorWebsite: input.website,
    editTokenHash: editToken.hash,
    body: input.body,
    status: disposition === 'published-if-known' ? 'published' : disposition,
    createdAt: new Date(now).toISOString(),
    editedAt: null,
    // Only the operators' route posts as staff; a reader's request has no say in either mark.
    staff: false,
    pinned: false,
    ...(input.notify ? { notify: true as const } : {}),
    ...(reasons.length > 0 ? { holdReasons: reasons } : {}),
    ...screened,
  };
  const { client } = writer;
  const status = await deps.store.insert(record, {
    ifKnownAuthor: disposition === 'published-if-known',
    charges: [
      ...rateCharges(deps.settings.rateLimits, 'comment', client, now),
      // Asking for mail is limited per client on its own, so nobody can post its way through
      // many strangers' addresses; the mail itself is limited per address by the dispatcher.
      ...(input.notify ? [notifyCharge(client, now)] : []),
    ],
    ifOpen: true,
  });
  return {
    comment: toPublicComment(record),
    // A comment caught as spam looks to its sender like any comment awaiting moderation.
    status: status === 'published' ? 'published' : 'pending',
    editToken: editToken.token,
  };
}

/** The article the token names: a missing or malformed token is a 401. */
function articleOf(token: string | undefined): { articleId: string; token: string } {
  const articleId = token === undefined ? undefined : articleOfToken(token);
  if (token === undefined || articleId === undefined) throw new NotAuthorizedError();
  return { articleId, token };
}

/**
 * The comment, if the edit token opens it, within the edit window: 401 for a missing or wrong
 * token, 403 when the token is right but the window has closed.
 */
function opened(
  deps: CommentDeps,
  record: CommentRecord | undefined,
  token: string,
): CommentRecord {
  if (!record?.editTokenHash || !tokenMatches(token, record.editTokenHash, deps.hasher)) {
    throw new NotAuthorizedError();
  }
  const windowMs = deps.settings.moderation.editWindowMinutes * 60_000;
  if (deps.clock() - Date.parse(record.createdAt) > windowMs) {
    throw new ForbiddenError('the edit window has closed');
  }
  return record;
}

async function ownComment(
  deps: CommentDeps,
  commentId: string,
  given: string | undefined,
): Promise<CommentRecord> {
  const { articleId, token } = articleOf(given);
  return opened(deps, await deps.store.find(articleId, commentId), token);
}

export async function editOwnComment(
  deps: ScreenedCommentDeps,
  request: { commentId: string; token: string | undefined; body: string },
): Promise<PublicComment> {
  const { articleId, token } = articleOf(request.token);
  // The comment and its article's own settings in one read: the article's policy wins.
  const found = await deps.store.findWithArticle(articleId, request.commentId);
  const record = opened(deps, found.record, token);
  const policy = found.article.moderation ?? deps.settings.moderation.policy;
  const editedAt = new Date(deps.clock()).toISOString();
  const tooManyLinks = countLinks(request.body) > deps.settings.moderation.maxLinks;
  // An edit must not slip past moderation: under `all` (the article's, else the deployment's)
  // every edit of a published comment goes back to the queue, and under any policy one that
  // brings in too many links does.
  const requeue = tooManyLinks || policy === 'all';
  const { disposition: status, ...screened } = await screenComment(
    deps.screening,
    record.status === 'published' && requeue ? 'pending' : record.status,
    // The edit function cannot read the email (least privilege): an edit is screened without it.
    {
      articleId: record.articleId,
      commentId: record.commentId,
      parentId: record.parentId,
      edit: true,
      authorName: record.authorName,
      body: request.body,
      email: null,
    },
  );
  await deps.store.changeBody(record, { body: request.body, editedAt, status, ...screened });
  return toPublicComment({ ...record, body: request.body, editedAt });
}

export async function deleteOwnComment(
  deps: CommentDeps,
  request: { commentId: string; token: string | undefined },
): Promise<void> {
  const record = await ownComment(deps, request.commentId, request.token);
  await deps.store.remove(record);
}

export interface ListRequest {
  articleId: string;
  order: ListOrder;
  limit: number;
  cursor?: string;
}

export interface CommentList {
  articleId: string;
  commentCount: number;
  /** On a first page only: whether the article takes new comments. */
  open?: boolean;
  comments: PublicComment[];
  nextCursor: string | null;
}

/** The deployment's side of articles' settings. */
export const articleDefaults = (settings: Settings): ArticleDefaults => ({
  autoCloseDays: settings.autoCloseDays,
});

/**
 * Whether the article takes comments at `now`, and for how many seconds that holds (undefined:
 * until someone changes it): a copy of an answer that says so may be kept no longer.
 */
export function openness(
  stats: ArticleStats | undefined,
  settings: Settings,
  now: number,
): { open: boolean; freshForSeconds?: number } {
  if (stats === undefined) return { open: true };
  const defaults = articleDefaults(settings);
  const seconds = secondsUnchanged(stats, defaults, now);
  return {
    open: isOpen(stats, defaults, now),
    ...(seconds === undefined ? {} : { freshForSeconds: seconds }),
  };
}

export async function listComments(
  deps: { store: CommentStore; hasher: KeyedHasher; settings: Settings; clock: Clock },
  request: ListRequest,
): Promise<CommentList & { freshForSeconds?: number }> {
  const { articleId, order, limit } = request;
  const cursor =
    request.cursor === undefined
      ? undefined
      : decodeCursor(request.cursor, { articleId, order }, deps.hasher);
  if (request.cursor !== undefined && cursor === undefined) throw new BadCursorError();
  const page = await deps.store.page({ articleId, order, limit, after: cursor?.after });
  const list = commentList(deps.hasher, { articleId, order }, page, cursor?.commentCount ?? 0);
  if (page.stats === undefined) return list;
  // A first page says whether the article takes comments now.
  const { open, freshForSeconds } = openness(page.stats, deps.settings, deps.clock());
  return { ...list, open, ...(freshForSeconds === undefined ? {} : { freshForSeconds }) };
}

/** A page as the API shows it, with the signed cursor that continues it. */
export function commentList(
  hasher: KeyedHasher,
  list: { articleId: string; order: ListOrder },
  page: CommentPage,
  earlierCount: number,
): CommentList {
  const commentCount = page.commentCount ?? earlierCount;
  return {
    articleId: list.articleId,
    commentCount,
    // A first page starts with the pinned comments; the store left them out of the rest.
    comments: [...(page.pinned ?? []), ...page.comments].map(toPublicComment),
    nextCursor:
      page.nextAfter === null
        ? null
        : encodeCursor({ ...list, after: page.nextAfter, commentCount }, hasher),
  };
}
