/**
 * `npm run admin -- commenter <id|email> [--ban|--trust|--suspend 7d|--normal] [--note "..."]`:
 * the requests it makes and what it prints (bin/admin/commenter-command.ts), the API in memory.
 */
import { COMMANDS, type Context, UsageError } from '../../../bin/admin/commands';

const RECORD = {
  commenterId: 'c0mmenter-1',
  state: 'suspended',
  until: '2026-12-15T10:00:00.000Z',
  note: 'Warned twice.',
  setBy: 'arn:aws:iam::123456789012:user/desk',
  setAt: '2026-12-08T10:00:00.000Z',
  history: [],
  counts: { published: 4, pending: 1, spam: 2 },
  firstSeen: '2026-11-02T09:00:00.000Z',
  comments: [],
};

function context(args: string[]) {
  const calls: { method: string; path: string; body?: unknown }[] = [];
  const printed: string[] = [];
  const cx: Context = {
    args,
    target: args[1],
    dryRun: false,
    call: async () => ({ status: 200, body: RECORD }),
    async answer<T>(_expected: number, method: string, path: string, body?: unknown) {
      calls.push({ method, path, ...(body === undefined ? {} : { body }) });
      if (path.startsWith('/admin/commenters?')) return { commenterIds: ['c0mmenter-1'] } as T;
      return RECORD as T;
    },
    needTarget(what) {
      if (!args[1]) throw new UsageError(`commenter needs ${what}`);
      return encodeURIComponent(args[1]);
    },
    print: (text) => printed.push(text),
    note: () => {},
  };
  return { cx, calls, printed };
}

const commenter = (cx: Context) => (COMMANDS.commenter as (cx: Context) => Promise<number>)(cx);
const NOW = Date.parse('2026-12-08T10:00:00.000Z');

describe('npm run admin -- commenter', () => {
  beforeEach(() => jest.useFakeTimers({ now: NOW }));
  afterEach(() => jest.useRealTimers());

  it('shows a record by id: state, counts, first seen, note, who set it', async () => {
    const { cx, calls, printed } = context(['commenter', 'c0mmenter-1']);
    expect(await commenter(cx)).toBe(0);
    expect(calls).toEqual([{ method: 'GET', path: '/admin/commenters/c0mmenter-1' }]);
    expect(printed).toEqual([
      'c0mmenter-1: suspended until 2026-12-15T10:00:00.000Z · 4 published, 1 pending, 2 spam · first seen 2026-11-02T09:00:00.000Z · set by arn:aws:iam::123456789012:user/desk at 2026-12-08T10:00:00.000Z · note "Warned twice."',
    ]);
  });

  it('finds the id by email first', async () => {
    const { cx, calls } = context(['commenter', 'Troll@Example.com', '--ban']);
    expect(await commenter(cx)).toBe(0);
    expect(calls).toEqual([
      { method: 'GET', path: '/admin/commenters?email=Troll%40Example.com' },
      { method: 'PUT', path: '/admin/commenters/c0mmenter-1', body: { state: 'banned' } },
    ]);
  });

  it.each([
    [['--trust'], { state: 'trusted' }],
    [['--normal', '--note', 'Fine now.'], { state: 'normal', note: 'Fine now.' }],
    [['--suspend', '7d'], { state: 'suspended', until: '2026-12-15T10:00:00.000Z' }],
    [['--suspend', '12h'], { state: 'suspended', until: '2026-12-08T22:00:00.000Z' }],
  ])('%j puts %j', async (flags, body) => {
    const { cx, calls } = context(['commenter', 'c0mmenter-1', ...flags]);
    expect(await commenter(cx)).toBe(0);
    expect(calls).toEqual([{ method: 'PUT', path: '/admin/commenters/c0mmenter-1', body }]);
  });

  it('changes only the note, keeping the state and until as they are', async () => {
    const { cx, calls } = context(['commenter', 'c0mmenter-1', '--note', 'Third warning.']);
    expect(await commenter(cx)).toBe(0);
    expect(calls).toEqual([
      { method: 'GET', path: '/admin/commenters/c0mmenter-1' },
      {
        method: 'PUT',
        path: '/admin/commenters/c0mmenter-1',
        body: { state: 'suspended', until: RECORD.until, note: 'Third warning.' },
      },
    ]);
  });

  it('refuses two states, or a suspension without a length', async () => {
    for (const flags of [
      ['--ban', '--trust'],
      ['--suspend', 'soon'],
    ]) {
      const { cx } = context(['commenter', 'c0mmenter-1', ...flags]);
      await expect(commenter(cx)).rejects.toBeInstanceOf(UsageError);
    }
  });
});
