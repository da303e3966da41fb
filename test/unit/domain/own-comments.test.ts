import type { CommentRecord } from '../../../lambda/domain/comment';
import { deleteOwnComment, editOwnComment } from '../../../lambda/domain/comments';
import { issueEditToken } from '../../../lambda/domain/edit-token';
import {
  CommentNotFoundError,
  ForbiddenError,
  NotAuthorizedError,
} from '../../../lambda/domain/errors';
import { parseSettings, type Settings } from '../../../lambda/domain/settings';
import {
  commentRecord,
  fixedId,
  hasher,
  NOW,
  ownedComment,
  publicComment,
  screeningFor,
  settingsWith,
} from '../fakes';

const ARTICLE = 'russia-north-korea-ties';
const COMMENT_ID = fixedId(NOW);
const MINUTE = 60_000;

/** A stored comment and the token its author was given. */
function setup(overrides: Partial<CommentRecord> = {}, settings: Settings = settingsWith({})) {
  const { token, store, record, clock } = ownedComment(overrides);
  const deps = {
    store,
    clock: clock.read,
    newId: fixedId,
    hasher,
    settings,
    screening: screeningFor(settings),
  };
  return { token, store, clock, deps, record };
}

const wrongTokens: [string, (token: string) => string | undefined][] = [
  ['missing', () => undefined],
  ['empty', () => ''],
  ['not a token at all', () => 'let-me-in'],
  ['for the same article but another secret', () => issueEditToken(ARTICLE, hasher).token],
  ['for another article', () => issueEditToken('another-article', hasher).token],
  [
    'altered in its last character',
    (token) => token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A'),
  ],
];

describe('editOwnComment', () => {
  it('screens the new text: a hold phrase sends a published comment back to pending, with why', async () => {
    const { token, store, deps } = setup({}, parseSettings({ rules: { hold: ['idiot'] } }));
    await editOwnComment(deps, { commentId: COMMENT_ID, token, body: 'Actually, i d i o t.' });
    expect(store.bodyChanges[0]?.change).toMatchObject({
      status: 'pending',
      holdReasons: ['rule:idiot'],
    });
  });

  it('screens the new text: a block phrase makes the comment spam', async () => {
    const { token, store, deps } = setup({}, parseSettings({ rules: { block: ['cheap pills'] } }));
    await editOwnComment(deps, { commentId: COMMENT_ID, token, body: 'Now: CHEAP PILLS' });
    expect(store.bodyChanges[0]?.change).toMatchObject({
      status: 'spam',
      holdReasons: ['rule:cheap-pills'],
    });
  });

  it('changes the body and sets editedAt from the clock', async () => {
    const { token, store, deps, record } = setup();
    const comment = await editOwnComment(deps, {
      commentId: COMMENT_ID,
      token,
      body: 'Fixed my typo.',
    });
    const editedAt = new Date(NOW + MINUTE).toISOString();
    expect(store.finds).toEqual([{ articleId: ARTICLE, commentId: COMMENT_ID }]);
    expect(store.bodyChanges).toEqual([
      { current: record, change: { body: 'Fixed my typo.', editedAt, status: 'published' } },
    ]);
    expect(comment).toStrictEqual(publicComment({ body: 'Fixed my typo.', editedAt }));
    expect(JSON.stringify(comment)).not.toContain('ada@example.com');
  });

  it.each(wrongTokens)('refuses a token that is %s, changing nothing', async (_case, make) => {
    const { token, store, deps } = setup();
    await expect(
      editOwnComment(deps, { commentId: COMMENT_ID, token: make(token), body: 'Hijacked.' }),
    ).rejects.toBeInstanceOf(NotAuthorizedError);
    expect(store.bodyChanges).toEqual([]);
  });

  it('refuses the token of another comment', async () => {
    const { store, deps } = setup();
    const other = issueEditToken(ARTICLE, hasher);
    const otherId = fixedId(NOW + 1);
    store.records.set(otherId, commentRecord({ commentId: otherId, editTokenHash: other.hash }));
    await expect(
      editOwnComment(deps, { commentId: COMMENT_ID, token: other.token, body: 'Hijacked.' }),
    ).rejects.toBeInstanceOf(NotAuthorizedError);
    expect(store.bodyChanges).toEqual([]);
  });

  it('refuses a comment without a token hash (an erased or imported comment)', async () => {
    const { token, store, deps } = setup({ editTokenHash: null });
    await expect(
      editOwnComment(deps, { commentId: COMMENT_ID, token, body: 'x' }),
    ).rejects.toBeInstanceOf(NotAuthorizedError);
    expect(store.bodyChanges).toEqual([]);
  });

  it('refuses with 401, not 403, for a comment that does not exist', async () => {
    const { token, deps } = setup();
    await expect(
      editOwnComment(deps, { commentId: fixedId(NOW + 5), token, body: 'x' }),
    ).rejects.toBeInstanceOf(NotAuthorizedError);
  });

  it('allows an edit at the very end of the window', async () => {
    const { token, store, clock, deps } = setup();
    clock.now = NOW + 15 * MINUTE;
    await editOwnComment(deps, { commentId: COMMENT_ID, token, body: 'Just in time.' });
    expect(store.bodyChanges).toHaveLength(1);
  });

  it('refuses the right token once the window has closed, changing nothing', async () => {
    const { token, store, clock, deps } = setup();
    clock.now = NOW + 15 * MINUTE + 1;
    await expect(
      editOwnComment(deps, { commentId: COMMENT_ID, token, body: 'Too late.' }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    expect(store.bodyChanges).toEqual([]);
  });

  it('refuses a wrong token as 401 even after the window', async () => {
    const { store, clock, deps } = setup();
    clock.now = NOW + 60 * MINUTE;
    await expect(
      editOwnComment(deps, {
        commentId: COMMENT_ID,
        token: issueEditToken(ARTICLE, hasher).token,
        body: 'x',
      }),
    ).rejects.toBeInstanceOf(NotAuthorizedError);
    expect(store.bodyChanges).toEqual([]);
  });

  it('follows a configured window', async () => {
    const { token, clock, deps } = setup({}, settingsWith({ editWindowMinutes: 2 }));
    clock.now = NOW + 2 * MINUTE + 1;
    await expect(
      editOwnComment(deps, { commentId: COMMENT_ID, token, body: 'x' }),
    ).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('sends a published comment back to pending when the edit adds too many links', async () => {
    const { token, store, deps } = setup();
    await editOwnComment(deps, {
      commentId: COMMENT_ID,
      token,
      body: 'Buy: https://a.example https://b.example https://c.example',
    });
    expect(store.bodyChanges[0]?.change.status).toBe('pending');
  });

  it('keeps a published comment published with links within the limit', async () => {
    const { token, store, deps } = setup();
    await editOwnComment(deps, {
      commentId: COMMENT_ID,
      token,
      body: 'Sources: https://www.a.example and https://www.b.example',
    });
    expect(store.bodyChanges[0]?.change.status).toBe('published');
  });

  it.each(['pending', 'spam'] as const)('leaves a %s comment as it was', async (status) => {
    const { token, store, deps } = setup({ status });
    await editOwnComment(deps, { commentId: COMMENT_ID, token, body: 'Plain.' });
    expect(store.bodyChanges[0]?.change.status).toBe(status);
  });

  it('passes on a store failure', async () => {
    const { token, store, deps } = setup();
    store.writeError = new CommentNotFoundError();
    await expect(
      editOwnComment(deps, { commentId: COMMENT_ID, token, body: 'x' }),
    ).rejects.toBeInstanceOf(CommentNotFoundError);
  });
});

describe('deleteOwnComment', () => {
  it('removes the comment as read', async () => {
    const { token, store, deps, record } = setup();
    await deleteOwnComment(deps, { commentId: COMMENT_ID, token });
    expect(store.removed).toEqual([record]);
  });

  it.each(wrongTokens)('refuses a token that is %s, removing nothing', async (_case, make) => {
    const { token, store, deps } = setup();
    await expect(
      deleteOwnComment(deps, { commentId: COMMENT_ID, token: make(token) }),
    ).rejects.toBeInstanceOf(NotAuthorizedError);
    expect(store.removed).toEqual([]);
  });

  it('does not read the store without a token', async () => {
    const { store, deps } = setup();
    await expect(
      deleteOwnComment(deps, { commentId: COMMENT_ID, token: undefined }),
    ).rejects.toBeInstanceOf(NotAuthorizedError);
    expect(store.finds).toEqual([]);
  });

  it('refuses the right token once the window has closed, removing nothing', async () => {
    const { token, store, clock, deps } = setup();
    clock.advance(15 * MINUTE);
    await expect(deleteOwnComment(deps, { commentId: COMMENT_ID, token })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    expect(store.removed).toEqual([]);
  });
});
