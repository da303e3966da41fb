/** The public API (contract v1, stated in docs/api.md), as the browser calls it. */

export interface Comment {
  id: string;
  articleId: string;
  parentId: string | null;
  /** `staff`: posted by a moderator through the operators' API (contract v1.1). */
  /**
   * `verified`: written by a reader the site signed in; `badges`: that reader's allowed badges
   * (contract v1.2; absent from an older deployment).
   */
  author: {
    name: string;
    website: string | null;
    staff?: boolean;
    verified?: boolean;
    badges?: string[];
  };
  body: string;
  createdAt: string;
  editedAt: string | null;
  /** Pinned by a moderator: the server lists it first on the first page. */
  pinned?: boolean;
}

export interface CommentPage {
  commentCount: number;
  comments: Comment[];
  nextCursor: string | null;
}

export interface Reactions {
  counts: Record<string, number>;
  total: number;
  mine: string | null;
}

export interface Limits {
  nameMaxChars: number;
  emailMaxChars: number;
  websiteMaxChars: number;
  bodyMaxChars: number;
  requestBodyMaxBytes: number;
  pageSizeDefault: number;
  pageSizeMax: number;
  countsMaxArticles: number;
}

export interface Config {
  reactions: { key: string; label: string }[];
  limits: Limits;
  /** The edit window; a widget facing a deployment that does not say assumes the API's default. */
  moderation?: { editWindowMinutes?: number };
}

/** GET /articles/{articleId}: everything the footer shows, the same for every reader. */
export interface Thread extends CommentPage {
  open: boolean;
  reactions: { key: string; label: string; count: number }[];
  reactionTotal: number;
  limits: Limits;
  moderation?: { editWindowMinutes?: number };
  /** Who may comment: `anyone`, `signed-in` or `badge:<name>` (contract v1.2). */
  commenting?: string;
  /** Where the site signs its readers in, when the deployment has such a page. */
  signInUrl?: string;
}

export interface NewComment {
  /** A guest's; a signed-in reader's come from the token. */
  name?: string;
  email?: string;
  /** The site's token for a signed-in reader (docs/readers.md): in the body, never a header. */
  reader?: string;
  website?: string;
  body: string;
  parentId?: string;
  /** The honeypot: people leave it empty, so anything in it marks the comment as spam. */
  homepage?: string;
  /** Email the author about replies (after they confirm their address once). */
  notify?: true;
}

export interface Created {
  comment: Comment;
  status: 'published' | 'pending';
  /** Lets this browser edit or delete the comment for a while (docs/api.md, "Authors' own comments"). */
  editToken?: string;
}

export interface FieldError {
  field: string;
  message: string;
}

/** A non-2xx answer, carrying the problem+json body when there was one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly errors: FieldError[],
    /** Seconds to wait, from a 429's Retry-After (when the browser may read it), else null. */
    readonly retryAfter: number | null = null,
  ) {
    super(`${status} ${detail}`);
  }
}

export type Order = 'oldest' | 'newest';

/** Retry-After is either delay-seconds or an HTTP date; anything else is unknown. */
function retryAfter(value: string | null): number | null {
  if (!value) return null;
  const seconds = /^\d+$/.test(value.trim())
    ? Number(value)
    : (Date.parse(value) - Date.now()) / 1000;
  return Number.isFinite(seconds) ? Math.max(1, Math.ceil(seconds)) : null;
}

export const articlePath = (id: string) => `/articles/${encodeURIComponent(id)}`;

/** `signal` aborts every call of this client: a thread switching article drops the old one's. */
export function createApi(base: string, signal?: AbortSignal) {
  const root = base.replace(/\/+$/, '');
  const call = async <T>(
    path: string,
    method = 'GET',
    body?: unknown,
    token?: string,
  ): Promise<T> => {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    const response = await fetch(root + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
    const data: { detail?: string; errors?: FieldError[] } = await response
      .json()
      .catch(() => ({}));
    if (!response.ok) {
      throw new ApiError(
        response.status,
        data.detail ?? '',
        Array.isArray(data.errors) ? data.errors : [],
        retryAfter(response.headers.get('retry-after')),
      );
    }
    return data as T;
  };
  const article = articlePath;
  const visitor = (id: string) => `visitorId=${encodeURIComponent(id)}`;
  return {
    /** Any route: the on-demand chunks' requests (api-writes.ts) are built there. */
    call_: call,
    thread: (id: string, query: { limit?: number }) =>
      call<Thread>(`${article(id)}${query.limit ? `?limit=${query.limit}` : ''}`),
    react: (id: string, visitorId: string, reaction: string) =>
      call<Reactions>(`${article(id)}/reactions`, 'PUT', { visitorId, reaction }),
    withdraw: (id: string, visitorId: string) =>
      call<Reactions>(`${article(id)}/reactions?${visitor(visitorId)}`, 'DELETE'),
  };
}

export type Api = ReturnType<typeof createApi>;
