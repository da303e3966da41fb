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

export interface Config {
  reactions: { key: string; label: string }[];
  limits: Record<string, number>;
}

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
