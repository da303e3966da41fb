/** The public shapes of docs/api.md, for tests that talk to the API over HTTP. */

export interface Comment {
  id: string;
  articleId: string;
  parentId: string | null;
  author: { name: string; website: string | null };
  body: string;
  createdAt: string;
  editedAt: string | null;
}

export interface CommentList {
  articleId: string;
  commentCount: number;
  comments: Comment[];
  nextCursor: string | null;
}

export interface Created {
  comment: Comment;
  status: 'published' | 'pending';
}

export interface Reactions {
  articleId: string;
  counts: Record<string, number>;
  total: number;
  mine: string | null;
}

export interface Counts {
  articles: Record<string, { commentCount: number; reactionTotal: number }>;
}

/** A comment's author as docs/api.md shows a writer who is not signed in: no marks, no badges. */
export const anonymousAuthor = (name: string, website: string | null) => ({
  name,
  website,
  staff: false,
  verified: false,
  badges: [],
});

/** The reactions docs/api.md gives a deployment that sets none, in display order. */
export const DOCUMENTED_REACTIONS = [
  { key: 'excited', label: 'Excited' },
  { key: 'happy', label: 'Happy' },
  { key: 'in-love', label: 'In Love' },
  { key: 'not-sure', label: 'Not Sure' },
  { key: 'silly', label: 'Silly' },
];

/** The limits docs/api.md gives a deployment that sets none. */
export const DOCUMENTED_LIMITS = {
  nameMaxChars: 80,
  emailMaxChars: 254,
  websiteMaxChars: 2048,
  bodyMaxChars: 5000,
  requestBodyMaxBytes: 16384,
  pageSizeDefault: 50,
  pageSizeMax: 100,
  countsMaxArticles: 100,
};

export interface Config {
  reactions: { key: string; label: string }[];
  limits: Record<string, number>;
}

/** GET /articles/{articleId} (docs/api.md): the footer in one answer. */
export interface Thread {
  articleId: string;
  open: boolean;
  /** Who may comment: `anyone`, `signed-in` or `badge:<name>` (v1.2). */
  commenting: string;
  reactions: { key: string; label: string; count: number }[];
  reactionTotal: number;
  commentCount: number;
  comments: Comment[];
  nextCursor: string | null;
  limits: Record<string, number>;
}

/** The keys of a Thread, exactly: a key added or lost is a contract change. */
export const THREAD_KEYS = [
  'articleId',
  'commentCount',
  'commenting',
  'comments',
  'featured',
  'limits',
  'moderation',
  'nextCursor',
  'open',
  'reactionTotal',
  'reactions',
] as const;

/** What a shared cache may do with each kind of answer (Cache-Control). */
export const CACHE = {
  /** A first page or the thread: a few seconds, then stale while it is refreshed. */
  short: 'public, max-age=5, s-maxage=5, stale-while-revalidate=30',
  counts: 'public, max-age=60, s-maxage=60, stale-while-revalidate=300',
  config: 'public, max-age=300, s-maxage=300, stale-while-revalidate=3600',
  private: 'private, no-store',
  none: 'no-store',
} as const;

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: { field: string; message: string }[];
}

export async function readJson<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}
