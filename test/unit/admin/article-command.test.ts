/**
 * `npm run admin -- article <id> [...]`: the request it makes for each option, and what it prints
 * (bin/admin/commands.ts), with the API answered in memory.
 */
import { COMMANDS, type Context, UsageError } from '../../../bin/admin/commands';
import type { ArticleState } from '../../../web/shared/admin-api';

const STATE: ArticleState = {
  articleId: 'court-case',
  open: true,
  closed: false,
  closeAt: '2026-12-24T18:00:00.000Z',
  closesAt: '2026-12-24T18:00:00.000Z',
  moderation: 'all',
  commenting: null,
  commentCount: 12,
  pinned: [],
};

function context(args: string[], refused = false) {
  const answer = refused ? undefined : STATE;
  const calls: { method: string; path: string; body?: unknown }[] = [];
  const printed: string[] = [];
  const cx: Context = {
    args,
    target: args[1],
    dryRun: false,
    call: async () => ({ status: 200, body: answer }),
    async answer<T>(_expected: number, method: string, path: string, body?: unknown) {
      calls.push({ method, path, ...(body === undefined ? {} : { body }) });
      return answer as T | undefined;
    },
    needTarget(what) {
      if (!args[1]) throw new UsageError(`article needs ${what}`);
      return encodeURIComponent(args[1]);
    },
    print: (text) => printed.push(text),
    note: () => {},
  };
  return { cx, calls, printed };
}

const article = (cx: Context) => (COMMANDS.article as (cx: Context) => Promise<number>)(cx);

describe('npm run admin -- article', () => {
  it('shows an article: each setting its own or the deployment’s', async () => {
    const { cx, calls, printed } = context(['article', 'court-case']);
    expect(await article(cx)).toBe(0);
    expect(calls).toEqual([{ method: 'GET', path: '/admin/articles/court-case' }]);
    expect(printed).toEqual([
      "court-case: open until 2026-12-24T18:00:00.000Z · moderation all · commenting as the deployment's · 12 published",
    ]);
  });

  it('changes the settings given, in one PATCH', async () => {
    const { cx, calls } = context([
      'article',
      'court-case',
      '--moderation',
      'all',
      '--commenting',
      'signed-in',
      '--close-at',
      '2026-12-24T18:00+01:00',
      '--open',
    ]);
    expect(await article(cx)).toBe(0);
    expect(calls).toEqual([
      {
        method: 'PATCH',
        path: '/admin/articles/court-case',
        body: {
          moderation: 'all',
          commenting: 'signed-in',
          closeAt: '2026-12-24T17:00:00.000Z',
          open: true,
        },
      },
    ]);
  });

  it('gives settings back to the deployment with default and none, and closes with --close', async () => {
    const { cx, calls } = context([
      'article',
      'court-case',
      '--moderation',
      'default',
      '--commenting',
      'default',
      '--close-at',
      'none',
      '--close',
    ]);
    await article(cx);
    expect(calls[0]?.body).toEqual({
      moderation: null,
      commenting: null,
      closeAt: null,
      open: false,
    });
  });

  it.each([
    [['--close-at', 'someday'], /--close-at needs a time/],
    [['--open', '--close'], /--open or --close, not both/],
    [['--moderaton', 'all'], /does not take --moderaton/],
  ])('refuses %j before calling the API', async (options, message) => {
    const { cx, calls } = context(['article', 'court-case', ...options]);
    await expect(article(cx)).rejects.toThrow(message);
    expect(calls).toEqual([]);
  });

  it('fails, printing nothing of its own, when the API refuses', async () => {
    const { cx, printed } = context(['article', 'court-case', '--moderation', 'most'], true);
    expect(await article(cx)).toBe(1);
    expect(printed).toEqual([]);
  });
});
