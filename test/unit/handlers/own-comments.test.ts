import { issueEditToken } from '../../../lambda/domain/edit-token';
import { CommentNotFoundError } from '../../../lambda/domain/errors';
import { createHandler as createDelete } from '../../../lambda/handlers/delete-comment';
import { createHandler as createEdit } from '../../../lambda/handlers/edit-comment';
import { httpEvent } from '../../support/events';
import { commentRecord, fixedId, hasher, NOW, ownedComment, publicComment } from '../fakes';
import {
  answer,
  commentHandlerDeps,
  configuration,
  fieldsOf,
  JSON_TYPE,
  PROBLEM_TYPE,
} from './support';

const ARTICLE = 'russia-north-korea-ties';
const COMMENT_ID = fixedId(NOW);
const EMAIL = 'ada.private@example.com';
const MINUTE = 60_000;

function setup() {
  const { token, store: comments, clock } = ownedComment({ email: EMAIL });
  const deps = commentHandlerDeps(comments, configuration, { clock: clock.read });
  return { token, comments, clock, edit: createEdit(deps), remove: createDelete(deps) };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

function patch(body: unknown, headers: Record<string, string> = {}, commentId = COMMENT_ID) {
  return httpEvent('PATCH', `/comments/${commentId}`, {
    pathParameters: { commentId },
    body,
    headers,
  });
}

function del(headers: Record<string, string> = {}, commentId = COMMENT_ID) {
  return httpEvent('DELETE', `/comments/${commentId}`, { pathParameters: { commentId }, headers });
}

const unauthorised: [string, (token: string) => Record<string, string>][] = [
  ['no Authorization header', () => ({})],
  ['a wrong token', () => bearer(issueEditToken(ARTICLE, hasher).token)],
  ['a token that is not one', () => bearer('let-me-in')],
  ['another scheme', (token) => ({ authorization: `Basic ${token}` })],
  ['an empty bearer', () => ({ authorization: 'Bearer ' })],
];

describe('PATCH /comments/{commentId}', () => {
  it('answers 200 with the edited comment, editedAt set', async () => {
    const { token, edit, comments } = setup();
    const result = answer(await edit(patch({ body: ' Fixed. ' }, bearer(token))));
    expect(result.status).toBe(200);
    expect(result.headers['content-type']).toBe(JSON_TYPE);
    expect(result.body).toStrictEqual({
      comment: publicComment({ body: 'Fixed.', editedAt: new Date(NOW + MINUTE).toISOString() }),
    });
    expect(result.text).not.toContain(EMAIL);
    expect(comments.bodyChanges.map(({ change }) => change.body)).toEqual(['Fixed.']);
  });

  it('takes the header name in any case', async () => {
    const { token, edit } = setup();
    const result = await edit(patch({ body: 'Fixed.' }, { AUTHORIZATION: `bearer ${token}` }));
    expect(result.statusCode).toBe(200);
  });

  it.each(unauthorised)('answers 401 for %s, and changes nothing', async (_case, headers) => {
    const { token, edit, comments } = setup();
    const result = answer(await edit(patch({ body: 'Hijacked.' }, headers(token))));
    expect(result.status).toBe(401);
    expect(result.headers['content-type']).toBe(PROBLEM_TYPE);
    expect(result.body).toMatchObject({ status: 401, title: 'Unauthorized' });
    expect(comments.bodyChanges).toEqual([]);
  });

  it('answers 403 for the right token after the edit window, and changes nothing', async () => {
    const { token, edit, comments, clock } = setup();
    clock.now = NOW + 15 * MINUTE + 1;
    const result = answer(await edit(patch({ body: 'Too late.' }, bearer(token))));
    expect(result.status).toBe(403);
    expect(result.headers['content-type']).toBe(PROBLEM_TYPE);
    expect(result.body).toMatchObject({ status: 403, title: 'Forbidden' });
    expect(comments.bodyChanges).toEqual([]);
  });

  it('answers 400 for an empty body and a bad comment id together', async () => {
    const { token, edit, comments } = setup();
    const result = answer(await edit(patch({ body: '  ' }, bearer(token), 'not-an-id')));
    expect(result.status).toBe(400);
    expect(fieldsOf(result.body)).toEqual(['commentId', 'body']);
    expect(comments.bodyChanges).toEqual([]);
  });

  it('answers 404 when the comment changed or went away meanwhile', async () => {
    const { token, edit, comments } = setup();
    comments.writeError = new CommentNotFoundError();
    expect((await edit(patch({ body: 'x' }, bearer(token)))).statusCode).toBe(404);
  });
});

describe('DELETE /comments/{commentId}', () => {
  it('answers 204 without a body and removes the comment', async () => {
    const { token, remove, comments } = setup();
    const result = await remove(del(bearer(token)));
    expect(result.statusCode).toBe(204);
    expect(result.body).toBeUndefined();
    expect(comments.removed.map((record) => record.commentId)).toEqual([COMMENT_ID]);
  });

  it.each(unauthorised)('answers 401 for %s, and removes nothing', async (_case, headers) => {
    const { token, remove, comments } = setup();
    const result = answer(await remove(del(headers(token))));
    expect(result.status).toBe(401);
    expect(result.headers['content-type']).toBe(PROBLEM_TYPE);
    expect(comments.removed).toEqual([]);
  });

  it('answers 403 for the right token after the edit window, and removes nothing', async () => {
    const { token, remove, comments, clock } = setup();
    clock.advance(15 * MINUTE);
    const result = answer(await remove(del(bearer(token))));
    expect(result.status).toBe(403);
    expect(comments.removed).toEqual([]);
  });

  it('answers 401 for a token of this article used on another comment', async () => {
    const { token, remove, comments } = setup();
    const otherId = fixedId(NOW + 1);
    const other = issueEditToken(ARTICLE, hasher);
    comments.records.set(otherId, commentRecord({ commentId: otherId, editTokenHash: other.hash }));
    expect((await remove(del(bearer(token), otherId))).statusCode).toBe(401);
    expect(comments.records.has(otherId)).toBe(true);
  });

  it('answers 400 for a bad comment id', async () => {
    const { token, remove } = setup();
    const result = answer(await remove(del(bearer(token), 'nope')));
    expect(result.status).toBe(400);
    expect(fieldsOf(result.body)).toEqual(['commentId']);
  });
});
