/**
 * `npm run admin -- list-articles <id>...`: the one-off backfill of the articles index
 * (docs/import-export.md). The requests it makes for each article and what it prints, with the
 * API answered in memory.
 */
import { COMMANDS, type Context, UsageError } from '../../../bin/admin/commands';
import type { ArticleState } from '../../../web/shared/admin-api';

const plain = (articleId: string): ArticleState => ({
  articleId,
  open: true,
  closed: false,
  closeAt: null,
  closesAt: null,
  moderation: null,
  commenting: null,
  commentCount: 0,
  pinned: [],
});

/** Reactions on `voted`; `closed-one` is closed; `all-held` holds its own moderation; the rest nothing. */
function context(args: string[]) {
  const calls: { method: string; path: string; body?: unknown }[] = [];
  const printed: string[] = [];
  const cx: Context = {
    args,
    target: args[1],
    dryRun: false,
    call: async () => ({ status: 500, body: undefined }),
    async answer<T>(_expected: number, method: string, path: string, body?: unknown) {
      calls.push({ method, path, ...(body === undefined ? {} : { body }) });
      if (path.startsWith('/counts?')) {
        const ids = new URLSearchParams(path.slice('/counts?'.length)).get('articles') ?? '';
        const articles = Object.fromEntries(
          ids
            .split(',')
            .map((id) => [id, { commentCount: 0, reactionTotal: id === 'voted' ? 3 : 0 }]),
        );
        return { articles } as T;
      }
      const articleId = decodeURIComponent(path.split('/').pop() ?? '');
      const state = plain(articleId);
      if (articleId === 'closed-one') Object.assign(state, { closed: true, open: false });
      if (articleId === 'all-held') state.moderation = 'all';
      return state as T;
    },
    needTarget: () => '',
    print: (text) => printed.push(text),
    note: () => {},
  };
  return { cx, calls, printed };
}

const listArticles = (cx: Context) =>
  (COMMANDS['list-articles'] as (cx: Context) => Promise<number>)(cx);

describe('npm run admin -- list-articles', () => {
  it('writes again, changing nothing, each article holding reactions or its own state, and leaves the others alone', async () => {
    const { cx, calls, printed } = context([
      'list-articles',
      'voted',
      'closed-one',
      'all-held',
      'nothing-here',
    ]);
    expect(await listArticles(cx)).toBe(0);
    expect(calls).toEqual([
      { method: 'GET', path: '/counts?articles=voted,closed-one,all-held,nothing-here' },
      { method: 'GET', path: '/admin/articles/voted' },
      { method: 'PATCH', path: '/admin/articles/voted', body: { moderation: null } },
      { method: 'GET', path: '/admin/articles/closed-one' },
      { method: 'PATCH', path: '/admin/articles/closed-one', body: { moderation: null } },
      { method: 'GET', path: '/admin/articles/all-held' },
      { method: 'PATCH', path: '/admin/articles/all-held', body: { moderation: 'all' } },
      { method: 'GET', path: '/admin/articles/nothing-here' },
    ]);
    expect(printed).toEqual([
      'voted: listed.',
      'closed-one: listed.',
      'all-held: listed.',
      'nothing-here: no reactions or settings stored, left alone.',
      'Listed 3 of 4 article(s).',
    ]);
  });

  it('asks /counts for at most 100 articles at once', async () => {
    const ids = Array.from({ length: 150 }, (_, index) => `article-${index}`);
    const { cx, calls } = context(['list-articles', ...ids]);
    expect(await listArticles(cx)).toBe(0);
    const counts = calls.filter((call) => call.path.startsWith('/counts?'));
    expect(counts.map((call) => call.path.split(',').length)).toEqual([100, 50]);
  });

  it('needs at least one article id', async () => {
    const { cx } = context(['list-articles']);
    await expect(listArticles(cx)).rejects.toThrow(UsageError);
  });
});
