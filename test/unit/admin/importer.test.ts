import type { AdminResponse } from '../../../bin/admin/client';
import { formatReport, runImport } from '../../../bin/admin/import/importer';
import type { SourceComment, SourceEvent } from '../../../bin/admin/import/source';
import { importedCommentId } from '../../../lambda/domain/imports';
import { DEFAULT_SETTINGS } from '../../../lambda/domain/settings';

const BASE = Date.UTC(2026, 10, 26, 10, 0, 0);

function source(n: number, overrides: Partial<SourceComment> = {}): SourceComment {
  const createdAt = new Date(BASE + n * 60_000).toISOString();
  return {
    sourceId: String(n),
    parentSourceId: null,
    id: importedCommentId(`test\u0000${n}`, Date.parse(createdAt)),
    articleId: 'lighthouse-keepers',
    name: `Reader ${n}`,
    email: `reader${n}@example.com`,
    website: null,
    body: `Comment ${n}`,
    status: 'published',
    createdAt,
    editedAt: null,
    ...overrides,
  };
}

async function* events(list: SourceEvent[]): AsyncGenerator<SourceEvent> {
  yield* list;
}
const comment = (c: SourceComment): SourceEvent => ({ kind: 'comment', comment: c });

interface Sent {
  ids: string[];
  parents: (string | null)[];
}

/** The import route as the table behaves: each id written once; a reply needs its parent. */
class FakeApi {
  stored = new Set<string>();
  requests: Sent[] = [];
  /** Answers to give before the real one, in order. */
  script: AdminResponse[] = [];
  /** How long the n-th request takes; later ones overtaking earlier ones is the hard case. */
  delayMs: (n: number) => number = () => 0;

  call = async (method: string, path: string, body?: unknown): Promise<AdminResponse> => {
    expect([method, path]).toEqual(['POST', '/admin/imports']);
    const scripted = this.script.shift();
    if (scripted) return scripted;
    const { comments } = body as { comments: { id: string; parentId: string | null }[] };
    this.requests.push({
      ids: comments.map((c) => c.id),
      parents: comments.map((c) => c.parentId),
    });
    await new Promise((resolve) => setTimeout(resolve, this.delayMs(this.requests.length - 1)));
    const result = {
      imported: [] as string[],
      existing: [] as string[],
      parentMissing: [] as string[],
    };
    for (const { id, parentId } of comments) {
      if (this.stored.has(id)) result.existing.push(id);
      else if (parentId !== null && !this.stored.has(parentId)) result.parentMissing.push(id);
      else {
        this.stored.add(id);
        result.imported.push(id);
      }
    }
    return { status: 200, body: { ...result, reactionsImported: [], reactionsExisting: [] } };
  };
}

const sleeps: number[] = [];
const options = (api: FakeApi, dryRun = false) => ({
  call: api.call,
  settings: DEFAULT_SETTINGS,
  dryRun,
  sleep: async (ms: number) => {
    sleeps.push(ms);
  },
});

beforeEach(() => {
  sleeps.length = 0;
});

describe('runImport', () => {
  it('holds a reply read before its parent and sends it with the parent’s Talkback id', async () => {
    const api = new FakeApi();
    const parent = source(1);
    const reply = source(2, { parentSourceId: '1' });
    const report = await runImport(events([comment(reply), comment(parent)]), options(api));
    expect(api.requests).toEqual([{ ids: [parent.id, reply.id], parents: [null, parent.id] }]);
    expect(report.imported).toEqual({ published: 2, pending: 0, spam: 0 });
  });

  it('imports nothing the second time: the same ids are already there', async () => {
    const api = new FakeApi();
    const file = () => events([comment(source(1)), comment(source(2, { parentSourceId: '1' }))]);
    await runImport(file(), options(api));
    const again = await runImport(file(), options(api));
    expect(again.imported).toEqual({ published: 0, pending: 0, spam: 0 });
    expect(again.existing).toBe(2);
  });

  it('waits as long as Retry-After says on 429 and 503, then sends the same batch again', async () => {
    const api = new FakeApi();
    api.script = [
      { status: 503, body: { status: 503 }, retryAfterSeconds: 2 },
      { status: 429, body: { status: 429 }, retryAfterSeconds: 5 },
    ];
    const report = await runImport(events([comment(source(1))]), options(api));
    expect(sleeps).toEqual([2000, 5000]);
    expect(report.imported.published).toBe(1);
    expect(api.stored.size).toBe(1);
  });

  it('backs off exponentially when no Retry-After is given, and after a dropped connection', async () => {
    const api = new FakeApi();
    api.script = [{ status: 503, body: null }];
    const real = api.call;
    let dropped = false;
    const call = async (method: string, path: string, body?: unknown) => {
      if (!dropped) {
        dropped = true;
        throw new Error('ECONNRESET');
      }
      return real(method, path, body);
    };
    const report = await runImport(events([comment(source(1))]), { ...options(api), call });
    expect(sleeps).toEqual([250, 500]);
    expect(report.imported.published).toBe(1);
  });

  it('leaves out what the API refuses by its own rules and sends the rest', async () => {
    const api = new FakeApi();
    api.script = [
      {
        status: 400,
        body: {
          status: 400,
          errors: [{ field: 'comments.0.body', message: 'must be at most 10 characters' }],
        },
      },
    ];
    const report = await runImport(events([comment(source(1)), comment(source(2))]), options(api));
    expect(api.requests.map((r) => r.ids)).toEqual([[source(2).id]]);
    expect(report.skipped.get('body must be at most 10 characters')).toBe(1);
  });

  it('leaves out replies to a comment left out, and replies whose parent never comes', async () => {
    const api = new FakeApi();
    const report = await runImport(
      events([
        { kind: 'skipped', skipped: { sourceId: '1', reason: 'trash' } },
        comment(source(2, { parentSourceId: '1' })),
        comment(source(3, { parentSourceId: '99' })),
        comment(source(4, { name: ' ' })),
        comment(source(5, { parentSourceId: '4' })),
        { kind: 'thread-end' },
      ]),
      options(api),
    );
    expect(api.requests).toEqual([]);
    expect(Object.fromEntries(report.skipped)).toEqual({
      trash: 1,
      'reply to a comment left out': 2,
      'name is required': 1,
      'its parent is not in the file': 1,
    });
    expect(report.read).toBe(5);
  });

  it('lists article ids that do not fit the rule, once each', async () => {
    const api = new FakeApi();
    const report = await runImport(
      events([
        comment(source(1, { articleId: '2026/11/x' })),
        comment(source(2, { articleId: '2026/11/x' })),
      ]),
      options(api),
    );
    expect([...report.badArticleIds]).toEqual([['2026/11/x', 2]]);
    expect(formatReport(report, false).join('\n')).toContain('"2026/11/x" (2 comment(s))');
  });

  it('sends a reply only after the request that carries its parent has been answered', async () => {
    const api = new FakeApi();
    api.delayMs = (n) => Math.max(0, 40 - 15 * n);
    const list: SourceEvent[] = [];
    // 600 comments, every tenth a reply to the comment 250 before it: parent and reply are in
    // different requests, which run four at a time.
    for (let n = 1; n <= 600; n++) {
      const parent = n > 250 && n % 10 === 0 ? String(n - 250) : null;
      list.push(comment(source(n, { parentSourceId: parent })));
    }
    const report = await runImport(events(list), options(api));
    expect(report.imported.published).toBe(600);
    expect(report.skipped.size).toBe(0);
    expect(api.requests.every((request) => request.ids.length <= 250)).toBe(true);
  });

  it('sends nothing on a dry run, and reports what it would import', async () => {
    const api = new FakeApi();
    const report = await runImport(
      events([comment(source(1)), comment(source(2, { status: 'pending' }))]),
      options(api, true),
    );
    expect(api.requests).toEqual([]);
    expect(formatReport(report, true)[0]).toBe(
      'Would import 2 comment(s): 1 published, 1 pending, 0 spam.',
    );
  });
});
