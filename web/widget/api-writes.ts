/**
 * The API's calls that only the on-demand chunks make (the form, editing and deleting, paging):
 * built here, on the client's `call_`, so the first view carries none of them.
 */
import type { Api, Comment, CommentPage, Created, NewComment, Order } from '../shared/api';
import { articlePath } from './core';

const commentPath = (id: string) => `/comments/${encodeURIComponent(id)}`;

export const postComment = (api: Api, article: string, comment: NewComment) =>
  api.call_<Created>(`${articlePath(article)}/comments`, 'POST', comment);

export const editComment = (api: Api, id: string, token: string, body: string) =>
  api.call_<{ comment: Comment }>(commentPath(id), 'PATCH', { body }, token);

export const removeComment = (api: Api, id: string, token: string) =>
  api.call_<unknown>(commentPath(id), 'DELETE', undefined, token);

export const commentPage = (
  api: Api,
  article: string,
  query: { limit?: number; order: Order; cursor?: string | null },
) =>
  api.call_<CommentPage>(
    `${articlePath(article)}/comments?order=${query.order}${query.limit ? `&limit=${query.limit}` : ''}${
      query.cursor ? `&cursor=${encodeURIComponent(query.cursor)}` : ''
    }`,
  );
