import type { CommentRecord, CommentStatus } from '../../lambda/domain/comment';
import type { ListOrder } from '../../lambda/domain/cursor';
import { ParentNotFoundError, RateLimitedError } from '../../lambda/domain/errors';
import { ulid } from '../../lambda/domain/ids';
import { rateCharges } from '../../lambda/domain/rate-limit';
import { DEFAULT_RATE_LIMITS } from '../../lambda/domain/settings';
import { CommentRepository } from '../../lambda/store/comment-repository';
import { createTestTable, type TestTable } from '../support/dynamodb';

// Seeding makes many sequential requests to one shared local engine, which can outlast Jest's
// 5 s default under load (the project's testTimeout in jest.config.js does not reach tests).
jest.setTimeout(30_000);

const BASE_TIME = Date.parse('2026-11-26T21:19:00.000Z');

let table: TestTable;
let repository: CommentRepository;
let clockStep = 0;

/** A comment record at a distinct, increasing time, so the expected order is known. */
function record(articleId: string, overrides: Partial<CommentRecord> = {}): CommentRecord {
  clockStep += 1;
  const time = BASE_TIME + clockStep * 1000;
  return {
    commentId: ulid(time),
    articleId,
    parentId: null,
    authorName: `Author ${clockStep}`,
    authorWebsite: null,
    email: `author${clockStep}@example.com`,
    emailHash: `email-hash-${clockStep}`,
    editTokenHash: `token-hash-${clockStep}`,
    body: `Comment number ${clockStep}`,
    status: 'published',
    createdAt: new Date(time).toISOString(),
    editedAt: null,
    staff: false,
    pinned: false,
    ...overrides,
  };
}

/** A plain insert: no first-time check, no rate-limit windows. */
const PLAIN = { ifOpen: false, ifKnownAuthor: false, charges: [] };

async function insertAll(records: CommentRecord[]): Promise<void> {
  for (const item of records) await repository.insert(item, PLAIN);
}

/** Follows nextAfter from the first page to the end, returning every page. */
async function readAllPages(articleId: string, order: ListOrder, limit: number) {
  const pages = [];
  let after: string | undefined;
  for (let guard = 0; guard < 100; guard++) {
    const page = await repository.page({ articleId, order, limit, after });
    pages.push(page);
    if (page.nextAfter === null) return pages;
    after = page.nextAfter;
  }
  throw new Error('pagination did not end');
}

beforeAll(async () => {
  table = await createTestTable('comment-repo');
  repository = new CommentRepository(table.documentClient, table.tableName);
});
afterAll(async () => table.drop());

describe('CommentRepository.insert', () => {
  it('stores a comment under ARTICLE#<id> / COMMENT#<iso>#<id> with its entity and email', async () => {
    const comment = record('layout', {
      authorWebsite: 'https://ada.example',
      email: 'Ada.Lovelace@Example.com',
    });
    await repository.insert(comment, PLAIN);
    const items = (await table.scanAll()).filter((item) => item.PK === 'ARTICLE#layout');
    const stored = items.find((item) => item.entity === 'Comment');
    expect(stored).toMatchObject({
      PK: 'ARTICLE#layout',
      SK: `COMMENT#${comment.createdAt}#${comment.commentId}`,
      entity: 'Comment',
      commentId: comment.commentId,
      articleId: 'layout',
      authorName: comment.authorName,
      authorWebsite: 'https://ada.example',
      email: 'Ada.Lovelace@Example.com',
      emailHash: comment.emailHash,
      editTokenHash: comment.editTokenHash,
      body: comment.body,
      status: 'published',
      createdAt: comment.createdAt,
    });
    expect(stored?.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('keeps the comment count at both ends of the comment range', async () => {
    await insertAll([record('count-items'), record('count-items')]);
    const items = await table.scanAll();
    const counts = items.filter(
      (item) => item.PK === 'ARTICLE#count-items' && item.entity === 'ArticleStats',
    );
    expect(counts.map((item) => [item.SK, item.commentCount])).toEqual([
      ['COMMENT#!COUNT', 2],
      ['COMMENT#~COUNT', 2],
    ]);
  });

  it('stores a reply to a published parent and counts it', async () => {
    const parent = record('replies');
    await repository.insert(parent, PLAIN);
    const reply = record('replies', { parentId: parent.commentId });
    await repository.insert(reply, PLAIN);
    const page = await repository.page({ articleId: 'replies', order: 'oldest', limit: 10 });
    expect(page.commentCount).toBe(2);
    expect(page.comments.map((comment) => [comment.commentId, comment.parentId])).toEqual([
      [parent.commentId, null],
      [reply.commentId, parent.commentId],
    ]);
  });

  it.each<[string, (published: CommentRecord) => Promise<string>]>([
    ['an id that names no comment', async () => ulid(BASE_TIME + 999_999)],
    [
      'a comment of another article',
      async () => {
        const elsewhere = record('orphans-elsewhere');
        await repository.insert(elsewhere, PLAIN);
        return elsewhere.commentId;
      },
    ],
    [
      'a pending comment',
      async () => {
        const pending = record('orphans', { status: 'pending' });
        await repository.insert(pending, PLAIN);
        return pending.commentId;
      },
    ],
    [
      'a spam comment',
      async () => {
        const spam = record('orphans', { status: 'spam' });
        await repository.insert(spam, PLAIN);
        return spam.commentId;
      },
    ],
  ])('rejects a reply to %s with ParentNotFoundError and writes nothing', async (_, parentOf) => {
    const published = record('orphans');
    await repository.insert(published, PLAIN);
    const parentId = await parentOf(published);
    const before = await table.scanAll();
    const reply = record('orphans', { parentId });

    await expect(repository.insert(reply, PLAIN)).rejects.toBeInstanceOf(ParentNotFoundError);

    const after = await table.scanAll();
    expect(after).toEqual(before);
    expect(after.some((item) => item.commentId === reply.commentId)).toBe(false);
  });

  it.each<CommentStatus>(['pending', 'spam'])(
    'stores a %s comment without listing or counting it',
    async (status) => {
      const articleId = `held-${status}`;
      const published = record(articleId);
      const held = record(articleId, { status });
      await insertAll([published, held]);

      const stored = (await table.scanAll()).find((item) => item.commentId === held.commentId);
      expect(stored).toMatchObject({ entity: 'Comment', status, email: held.email });
      for (const order of ['oldest', 'newest'] as const) {
        const page = await repository.page({ articleId, order, limit: 10 });
        expect(page.commentCount).toBe(1);
        expect(page.comments.map((comment) => comment.commentId)).toEqual([published.commentId]);
        expect(page.nextAfter).toBeNull();
      }
    },
  );
});

describe('CommentRepository.insert for the first-time policy', () => {
  const firstTime = { ifOpen: false, ifKnownAuthor: true, charges: [] };

  it('stores an unknown author’s comment as pending, uncounted, and remembers no author', async () => {
    const comment = record('first-time', { emailHash: 'unknown-author-hash' });
    await expect(repository.insert(comment, firstTime)).resolves.toBe('pending');
    const items = await table.scanAll();
    expect(items.find((item) => item.commentId === comment.commentId)).toMatchObject({
      status: 'pending',
    });
    expect(items.some((item) => item.PK === 'AUTHOR#unknown-author-hash')).toBe(false);
    expect(
      items.some((item) => item.PK === 'ARTICLE#first-time' && item.entity === 'ArticleStats'),
    ).toBe(false);
  });

  it('publishes and counts a known author’s comment, remembering the author', async () => {
    await repository.insert(record('first-time-known', { emailHash: 'known-author-hash' }), PLAIN);
    const author = (await table.scanAll()).find((item) => item.PK === 'AUTHOR#known-author-hash');
    expect(author).toMatchObject({ SK: 'AUTHOR', entity: 'Author' });
    const comment = record('first-time-known', { emailHash: 'known-author-hash' });
    await expect(repository.insert(comment, firstTime)).resolves.toBe('published');
    const page = await repository.page({
      articleId: 'first-time-known',
      order: 'oldest',
      limit: 10,
    });
    expect(page.commentCount).toBe(2);
  });
});

describe('CommentRepository.insert with rate-limit windows', () => {
  it('charges each window, and refuses a write over the limit with RateLimitedError, writing nothing', async () => {
    const limits = { ...DEFAULT_RATE_LIMITS, commentsPerMinute: 2 };
    const at = Date.parse('2031-03-14T09:00:30.000Z');
    const charges = () => rateCharges(limits, 'comment', 'client-hash-1', at);
    for (let n = 0; n < 2; n++) {
      await repository.insert(record('rated'), {
        ifOpen: false,
        ifKnownAuthor: false,
        charges: charges(),
      });
    }
    const windows = (await table.scanAll()).filter((item) => item.PK === 'CLIENT#client-hash-1');
    expect(windows.map((item) => [item.SK, item.requests])).toEqual([
      ['RATE#comment#hour#2031-03-14T09:00:00.000Z', 2],
      ['RATE#comment#minute#2031-03-14T09:00:00.000Z', 2],
    ]);
    const before = await table.scanAll();
    const refused = repository.insert(record('rated'), {
      ifOpen: false,
      ifKnownAuthor: false,
      charges: charges(),
    });
    await expect(refused).rejects.toBeInstanceOf(RateLimitedError);
    await expect(refused).rejects.toMatchObject({ retryAfterSeconds: expect.any(Number) });
    expect(await table.scanAll()).toEqual(before);
  });
});

describe('CommentRepository.page', () => {
  const articleId = 'paged';
  const total = 23;
  let inserted: CommentRecord[];

  beforeAll(async () => {
    inserted = Array.from({ length: total }, () => record(articleId));
    await insertAll(inserted);
    // Comments of neighbouring articles must never leak into this article's pages.
    await insertAll([record('paged-'), record('pagee'), record('page')]);
  });

  it.each<[ListOrder, number]>([
    ['oldest', 1],
    ['oldest', 5],
    ['oldest', 23],
    ['newest', 1],
    ['newest', 7],
    ['newest', 50],
  ])('reads every comment once, %s first, %i per page', async (order, limit) => {
    const pages = await readAllPages(articleId, order, limit);
    const ids = pages.flatMap((page) => page.comments.map((comment) => comment.commentId));
    const expected = inserted.map((comment) => comment.commentId);
    expect(ids).toEqual(order === 'oldest' ? expected : [...expected].reverse());
    expect(pages).toHaveLength(Math.ceil(total / limit));
    for (const page of pages.slice(0, -1)) expect(page.comments).toHaveLength(limit);
  });

  it.each<ListOrder>(['oldest', 'newest'])(
    'includes the exact comment count on the first page only, %s first',
    async (order) => {
      const [first, second] = await readAllPages(articleId, order, 10);
      expect(first?.commentCount).toBe(total);
      expect(second?.commentCount).toBeUndefined();
    },
  );

  it.each<ListOrder>(['oldest', 'newest'])(
    'returns the public fields of each comment, never the email (%s first)',
    async (order) => {
      const page = await repository.page({ articleId, order, limit: 1 });
      const newest = inserted[inserted.length - 1] as CommentRecord;
      const oldest = inserted[0] as CommentRecord;
      const expected = order === 'oldest' ? oldest : newest;
      expect(page.comments).toEqual([
        {
          commentId: expected.commentId,
          articleId,
          parentId: null,
          authorName: expected.authorName,
          authorWebsite: null,
          body: expected.body,
          createdAt: expected.createdAt,
          editedAt: null,
          staff: false,
          pinned: false,
        },
      ]);
    },
  );

  it('gives a next position that is a comment sort key of this article', async () => {
    const page = await repository.page({ articleId, order: 'oldest', limit: 3 });
    const third = inserted[2] as CommentRecord;
    expect(page.nextAfter).toBe(`COMMENT#${third.createdAt}#${third.commentId}`);
  });

  it.each<ListOrder>(['oldest', 'newest'])(
    'answers an article without comments with an empty page and a zero count (%s first)',
    async (order) => {
      const page = await repository.page({ articleId: 'no-comments', order, limit: 10 });
      expect(page).toEqual({
        commentCount: 0,
        comments: [],
        pinned: [],
        featured: [],
        nextAfter: null,
        // What the thread shows of an article nobody has touched: open, no counts.
        stats: { closed: false, commentCount: 0, reactionCounts: {}, reactionTotal: 0 },
      });
    },
  );

  it.each<ListOrder>(['oldest', 'newest'])(
    'pages past held comments without gaps or duplicates (%s first)',
    async (order) => {
      const mixedId = `mixed-${order}`;
      const mixed = Array.from({ length: 12 }, (_, index) =>
        record(mixedId, { status: index % 3 === 1 ? 'pending' : 'published' }),
      );
      await insertAll(mixed);
      const published = mixed
        .filter((comment) => comment.status === 'published')
        .map((comment) => comment.commentId);
      const pages = await readAllPages(mixedId, order, 2);
      const ids = pages.flatMap((page) => page.comments.map((comment) => comment.commentId));
      expect(ids).toEqual(order === 'oldest' ? published : [...published].reverse());
      expect(pages[0]?.commentCount).toBe(published.length);
    },
  );
});
