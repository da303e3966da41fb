import { type CommentRecord, type PublicComment, toPublicComment } from './comment';
import { decodeCursor, encodeCursor, type ListOrder } from './cursor';
import type { Clock, IdGenerator } from './ids';
import type { KeyedHasher } from './keyed-hash';
import type { CommentStore } from './ports';
import type { NewCommentInput } from './validation';

export interface CommentDeps {
  store: CommentStore;
  clock: Clock;
  newId: IdGenerator;
}

export interface CreatedComment {
  comment: PublicComment;
  status: 'published' | 'pending';
}

export async function createComment(
  deps: CommentDeps,
  articleId: string,
  input: NewCommentInput,
): Promise<CreatedComment> {
  const now = deps.clock();
  const record: CommentRecord = {
    commentId: deps.newId(now),
    articleId,
    parentId: input.parentId,
    authorName: input.name,
    authorWebsite: input.website,
    email: input.email,
    body: input.body,
    // Moderation policies decide this once they exist; until then everything publishes.
    status: 'published',
    createdAt: new Date(now).toISOString(),
    editedAt: null,
  };
  await deps.store.insert(record);
  return { comment: toPublicComment(record), status: 'published' };
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
  comments: PublicComment[];
  nextCursor: string | null;
}

export class BadCursorError extends Error {
  override name = 'BadCursorError';
}

export async function listComments(
  deps: { store: CommentStore; hasher: KeyedHasher },
  request: ListRequest,
): Promise<CommentList> {
  const { articleId, order, limit } = request;
  const cursor =
    request.cursor === undefined
      ? undefined
      : decodeCursor(request.cursor, { articleId, order }, deps.hasher);
  if (request.cursor !== undefined && cursor === undefined) throw new BadCursorError();
  const page = await deps.store.page({ articleId, order, limit, after: cursor?.after });
  const commentCount = page.commentCount ?? cursor?.commentCount ?? 0;
  return {
    articleId,
    commentCount,
    comments: page.comments.map(toPublicComment),
    nextCursor:
      page.nextAfter === null
        ? null
        : encodeCursor({ articleId, order, after: page.nextAfter, commentCount }, deps.hasher),
  };
}
