import { createComment, listComments } from '../../../lambda/domain/comments';
import { decodeCursor, encodeCursor } from '../../../lambda/domain/cursor';
import { articleOfToken, tokenMatches } from '../../../lambda/domain/edit-token';
import {
  ArticleClosedError,
  BadCursorError,
  ParentNotFoundError,
  RateLimitedError,
} from '../../../lambda/domain/errors';
import { ulidTime } from '../../../lambda/domain/ids';
import { clientHash, rateCharges } from '../../../lambda/domain/rate-limit';
import { CommentingNotAllowedError } from '../../../lambda/domain/readers';
import { DEFAULT_SETTINGS, parseSettings, type Settings } from '../../../lambda/domain/settings';
import type { NewCommentInput } from '../../../lambda/domain/validation';
import {
  FakeCommentStore,
  fixedClock,
  fixedId,
  hasher,
  NOW,
  publicComment,
  publicFields,
  screeningFor,
  settingsWith,
} from '../fakes';

const ARTICLE = 'russia-north-korea-ties';
const SOURCE_IP = '203.0.113.7';
const input: NewCommentInput = {
  name: 'Ada',
  email: 'ada@example.com',
  website: null,
  body: 'Hello.',
  parentId: null,
  notify: false,
};

const PUBLISH_AT_ONCE = settingsWith({ policy: 'none' });

function create(
  store: FakeCommentStore,
  settings: Settings = PUBLISH_AT_ONCE,
  overrides: Partial<NewCommentInput> = {},
) {
  return createComment(
    {
      store,
      clock: fixedClock,
      newId: fixedId,
      hasher,
      settings,
      screening: screeningFor(settings),
    },
    { articleId: ARTICLE, input: { ...input, ...overrides }, sourceIp: SOURCE_IP },
  );
}

describe('createComment', () => {
  it('stores a published record built from the clock, the id generator and the hasher', async () => {
    const store = new FakeCommentStore();
    const { editToken } = await create(store);
    expect(store.inserted).toStrictEqual([
      {
        commentId: fixedId(NOW),
        articleId: ARTICLE,
        parentId: null,
        authorName: 'Ada',
        authorWebsite: null,
        email: 'ada@example.com',
        emailHash: hasher.hash('email', 'ada@example.com'),
        commenterId: hasher.hash('commenter', 'ada@example.com'),
        editTokenHash: hasher.hash('edit-token', editToken),
        body: 'Hello.',
        status: 'published',
        createdAt: '2026-11-26T21:19:00.000Z',
        editedAt: null,
        staff: false,
        pinned: false,
      },
    ]);
  });

  it('hashes the normalised email, so case and spaces name the same author', async () => {
    const store = new FakeCommentStore();
    await create(store, PUBLISH_AT_ONCE, { email: ' Ada@Example.COM ' });
    expect(store.inserted[0]?.emailHash).toBe(hasher.hash('email', 'ada@example.com'));
    expect(store.inserted[0]?.emailHash).not.toContain('ada');
  });

  it('gives an id whose time is the creation time', async () => {
    const { comment } = await create(new FakeCommentStore());
    expect(ulidTime(comment.id)).toBe(Date.parse(comment.createdAt));
  });

  it('answers with the public comment, the status and an edit token, without the email', async () => {
    const store = new FakeCommentStore();
    const created = await create(store, PUBLISH_AT_ONCE, {
      website: 'https://ada.example',
      parentId: '01JDQ7X6ZJ6Y8R3K2V9N4T5B1C',
    });
    expect(created).toStrictEqual({
      comment: publicComment({ parentId: '01JDQ7X6ZJ6Y8R3K2V9N4T5B1C', body: 'Hello.' }),
      status: 'published',
      editToken: expect.any(String),
    });
    expect(JSON.stringify(created)).not.toContain('ada@example.com');
    expect(JSON.stringify(created)).not.toContain(store.inserted[0]?.emailHash);
  });

  it('issues an edit token for the article, of which the store keeps only the hash', async () => {
    const store = new FakeCommentStore();
    const { editToken } = await create(store);
    expect(articleOfToken(editToken)).toBe(ARTICLE);
    const stored = store.inserted[0]?.editTokenHash ?? '';
    expect(stored).not.toBe(editToken);
    expect(JSON.stringify(store.inserted)).not.toContain(editToken);
    expect(tokenMatches(editToken, stored, hasher)).toBe(true);
  });

  it('issues a different token for every comment', async () => {
    const store = new FakeCommentStore();
    const first = await create(store);
    const second = await create(store);
    expect(first.editToken).not.toBe(second.editToken);
  });

  it('charges the comment windows of the keyed hash of the source IP', async () => {
    const store = new FakeCommentStore();
    await create(store);
    const client = clientHash(hasher, SOURCE_IP);
    expect(store.insertOptions[0]?.charges).toEqual(
      rateCharges(DEFAULT_SETTINGS.rateLimits, 'comment', client, NOW),
    );
    expect(store.insertOptions[0]?.charges.map((charge) => charge.limit)).toEqual([3, 20]);
    expect(JSON.stringify(store.insertOptions)).not.toContain(SOURCE_IP);
  });

  describe('policy none', () => {
    it('publishes at once, without asking whether the author is known', async () => {
      const store = new FakeCommentStore();
      const created = await create(store, PUBLISH_AT_ONCE);
      expect(store.inserted[0]?.status).toBe('published');
      expect(store.insertOptions[0]?.ifKnownAuthor).toBe(false);
      expect(created.status).toBe('published');
    });

    it('holds a comment with more links than allowed', async () => {
      const store = new FakeCommentStore();
      const created = await create(store, PUBLISH_AT_ONCE, {
        body: 'http://a.example http://b.example http://c.example',
      });
      expect(store.inserted[0]?.status).toBe('pending');
      expect(store.insertOptions[0]?.ifKnownAuthor).toBe(false);
      expect(created.status).toBe('pending');
    });
  });

  describe('policy first-time (the default)', () => {
    it('is the default policy', () => {
      expect(DEFAULT_SETTINGS.moderation.policy).toBe('first-time');
    });

    it('asks the store to publish only for a known author, and holds a first-time author', async () => {
      const store = new FakeCommentStore();
      const created = await create(store, DEFAULT_SETTINGS);
      expect(store.inserted[0]?.status).toBe('published');
      expect(store.insertOptions[0]?.ifKnownAuthor).toBe(true);
      expect(created.status).toBe('pending');
    });

    it('publishes at once for an email with an earlier published comment', async () => {
      const store = new FakeCommentStore();
      store.knownAuthors.add(hasher.hash('email', 'ada@example.com'));
      const created = await create(store, DEFAULT_SETTINGS, { email: 'ADA@example.com' });
      expect(created.status).toBe('published');
    });

    it('holds even a known author whose comment has too many links', async () => {
      const store = new FakeCommentStore();
      store.knownAuthors.add(hasher.hash('email', 'ada@example.com'));
      const created = await create(store, DEFAULT_SETTINGS, {
        body: 'www.a.example www.b.example www.c.example',
      });
      expect(store.inserted[0]?.status).toBe('pending');
      expect(store.insertOptions[0]?.ifKnownAuthor).toBe(false);
      expect(created.status).toBe('pending');
    });
  });

  describe('policy all', () => {
    it('holds every comment, even a known author’s', async () => {
      const store = new FakeCommentStore();
      store.knownAuthors.add(hasher.hash('email', 'ada@example.com'));
      const created = await create(store, settingsWith({ policy: 'all' }));
      expect(store.inserted[0]?.status).toBe('pending');
      expect(store.insertOptions[0]?.ifKnownAuthor).toBe(false);
      expect(created.status).toBe('pending');
    });
  });

  describe('honeypot', () => {
    it.each([
      ['none', PUBLISH_AT_ONCE],
      ['first-time', DEFAULT_SETTINGS],
    ])(
      'stores a comment with a filled honeypot as spam and answers pending (policy %s)',
      async (_policy, settings) => {
        const store = new FakeCommentStore();
        store.knownAuthors.add(hasher.hash('email', 'ada@example.com'));
        const created = await create(store, settings, { homepage: 'https://spam.example' });
        expect(store.inserted[0]?.status).toBe('spam');
        expect(store.insertOptions[0]?.ifKnownAuthor).toBe(false);
        expect(created.status).toBe('pending');
        expect(JSON.stringify(created)).not.toContain('spam');
      },
    );

    it('looks like any other answer to the sender', async () => {
      const spam = await create(new FakeCommentStore(), settingsWith({ policy: 'all' }), {
        homepage: 'x',
      });
      const held = await create(new FakeCommentStore(), settingsWith({ policy: 'all' }));
      expect(Object.keys(spam).sort()).toEqual(Object.keys(held).sort());
      expect({ ...spam, editToken: '' }).toEqual({ ...held, editToken: '' });
    });

    it.each([
      ['absent', undefined],
      ['empty', ''],
      ['blank', '   '],
    ])('ignores a honeypot that is %s', async (_case, homepage) => {
      const store = new FakeCommentStore();
      const created = await create(store, PUBLISH_AT_ONCE, { homepage });
      expect(store.inserted[0]?.status).toBe('published');
      expect(created.status).toBe('published');
    });
  });

  it('passes on a store failure', async () => {
    const store = new FakeCommentStore();
    store.insertError = new ParentNotFoundError();
    await expect(create(store)).rejects.toBeInstanceOf(ParentNotFoundError);
  });

  it('passes on RateLimitedError with its Retry-After', async () => {
    const store = new FakeCommentStore();
    store.insertError = new RateLimitedError(41);
    await expect(create(store)).rejects.toMatchObject({ retryAfterSeconds: 41 });
  });

  it('takes configured rate limits', async () => {
    const store = new FakeCommentStore();
    await create(store, parseSettings({ rateLimits: { commentsPerMinute: 1 } }));
    expect(store.insertOptions[0]?.charges.map((charge) => charge.limit)).toEqual([1, 20]);
  });
});

describe('listComments', () => {
  const reading = (store: FakeCommentStore) => ({
    store,
    hasher,
    settings: DEFAULT_SETTINGS,
    clock: fixedClock,
  });
  const first = publicFields({ commentId: fixedId(NOW), body: 'first' });
  const second = publicFields({ commentId: fixedId(NOW + 1), body: 'second' });

  it('takes the count from the first page and issues a cursor carrying it', async () => {
    const store = new FakeCommentStore([
      { commentCount: 7, comments: [first, second], nextAfter: 'COMMENT#x' },
    ]);
    const list = await listComments(reading(store), {
      articleId: ARTICLE,
      order: 'oldest',
      limit: 2,
    });
    expect(store.queries).toEqual([
      { articleId: ARTICLE, order: 'oldest', limit: 2, after: undefined },
    ]);
    expect(list.articleId).toBe(ARTICLE);
    expect(list.commentCount).toBe(7);
    expect(list.comments.map((comment) => comment.body)).toEqual(['first', 'second']);
    expect(list.comments[0]).toStrictEqual(publicComment({ body: 'first' }));
    expect(
      decodeCursor(list.nextCursor ?? '', { articleId: ARTICLE, order: 'oldest' }, hasher),
    ).toEqual({ articleId: ARTICLE, order: 'oldest', after: 'COMMENT#x', commentCount: 7 });
  });

  it('continues after the cursor and keeps the count it carries', async () => {
    const store = new FakeCommentStore([{ comments: [second], nextAfter: null }]);
    const cursor = encodeCursor(
      { articleId: ARTICLE, order: 'newest', after: 'COMMENT#x', commentCount: 7 },
      hasher,
    );
    const list = await listComments(reading(store), {
      articleId: ARTICLE,
      order: 'newest',
      limit: 2,
      cursor,
    });
    expect(store.queries).toEqual([
      { articleId: ARTICLE, order: 'newest', limit: 2, after: 'COMMENT#x' },
    ]);
    expect(list.commentCount).toBe(7);
    expect(list.nextCursor).toBeNull();
  });

  it('gives a count of 0 for an article without comments', async () => {
    const store = new FakeCommentStore([{ commentCount: 0, comments: [], nextAfter: null }]);
    expect(
      await listComments(reading(store), { articleId: ARTICLE, order: 'oldest', limit: 50 }),
    ).toStrictEqual({ articleId: ARTICLE, commentCount: 0, comments: [], nextCursor: null });
  });

  it.each([
    ['malformed', () => 'not-a-cursor'],
    [
      'for another article',
      () =>
        encodeCursor(
          { articleId: 'other', order: 'oldest', after: 'COMMENT#x', commentCount: 1 },
          hasher,
        ),
    ],
    [
      'for the other order',
      () =>
        encodeCursor(
          { articleId: ARTICLE, order: 'newest', after: 'COMMENT#x', commentCount: 1 },
          hasher,
        ),
    ],
  ])('throws BadCursorError for a cursor %s, without reading', async (_case, makeCursor) => {
    const store = new FakeCommentStore();
    await expect(
      listComments(reading(store), {
        articleId: ARTICLE,
        order: 'oldest',
        limit: 2,
        cursor: makeCursor(),
      }),
    ).rejects.toBeInstanceOf(BadCursorError);
    expect(store.queries).toEqual([]);
  });
});

describe('createComment: the gate (step 3), from the article’s own settings', () => {
  const DAY = 86_400_000;
  const at = (ms: number) => new Date(ms).toISOString();
  const reader = { sub: 'user-7', name: 'Ada Reader', email: null, badges: ['subscriber'] };
  const READERS = {
    issuers: [
      {
        issuer: 'https://news.example',
        audience: 'talkback',
        jwksUrl: 'https://news.example/jwks',
      },
    ],
    badges: ['subscriber', 'donor'],
  };

  /** A comment by a guest, or by `signedIn` with a verified token; the screen's calls counted. */
  function post(store: FakeCommentStore, settings: Settings, signedIn?: typeof reader) {
    const screened: string[] = [];
    const screening = {
      ...screeningFor(settings),
      content: async () => {
        screened.push('asked');
        return { action: 'publish' as const };
      },
    };
    const comment = signedIn
      ? { ...input, name: undefined, email: undefined, reader: 'token' }
      : input;
    const result = createComment(
      {
        store,
        clock: fixedClock,
        newId: fixedId,
        hasher,
        settings,
        screening,
        verifyReader: async () => signedIn ?? reader,
      },
      { articleId: ARTICLE, input: comment as never, sourceIp: SOURCE_IP },
    );
    return { result, screened };
  }

  it('reads the article’s settings once, and answers its closing before screening or writing', async () => {
    for (const settings of [
      { closed: true },
      { closed: false, closeAt: at(NOW) },
      { closed: false, firstCommentAt: at(NOW - 7 * DAY) },
    ]) {
      const store = new FakeCommentStore();
      store.articles.set(ARTICLE, settings);
      const { result, screened } = post(store, parseSettings({ autoCloseDays: 7 }));
      await expect(result).rejects.toBeInstanceOf(ArticleClosedError);
      expect({
        settings,
        reads: store.gateReads.map(({ articleId }) => articleId),
        screened,
        inserted: store.inserted,
      }).toEqual({
        settings,
        reads: [ARTICLE],
        screened: [],
        inserted: [],
      });
    }
  });

  it('takes a comment until the article’s time', async () => {
    const store = new FakeCommentStore();
    store.articles.set(ARTICLE, {
      closed: false,
      closeAt: at(NOW + 1),
      firstCommentAt: at(NOW - 30 * DAY),
    });
    const { result } = post(store, parseSettings({ autoCloseDays: 7 }));
    await expect(result).resolves.toMatchObject({ status: 'pending' });
  });

  it.each([
    ['signed-in', undefined, false],
    ['badge:donor', undefined, false],
    ['badge:donor', reader, true],
  ] as const)(
    'refuses where the article says %s, for %j, before screening',
    async (commenting, signedIn, signedInRefusal) => {
      const store = new FakeCommentStore();
      store.articles.set(ARTICLE, { closed: false, commenting });
      const { result, screened } = post(store, parseSettings({ readers: READERS }), signedIn);
      const error = await result.then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(CommentingNotAllowedError);
      expect(error).toMatchObject({ mode: commenting, signedIn: signedInRefusal });
      expect(screened).toEqual([]);
      expect(store.inserted).toEqual([]);
    },
  );

  it('lets a guest comment where the article says anyone on a subscribers-only deployment', async () => {
    const store = new FakeCommentStore();
    store.articles.set(ARTICLE, { closed: false, commenting: 'anyone' });
    const settings = parseSettings({ readers: { ...READERS, commenting: 'badge:subscriber' } });
    await expect(post(store, settings).result).resolves.toMatchObject({ comment: {} });
    // And the deployment's mode holds where the article has none.
    const other = new FakeCommentStore();
    await expect(post(other, settings).result).rejects.toBeInstanceOf(CommentingNotAllowedError);
  });

  it('holds every comment where the article’s policy is all, saying why', async () => {
    const store = new FakeCommentStore();
    store.articles.set(ARTICLE, { closed: false, moderation: 'all' });
    await expect(post(store, PUBLISH_AT_ONCE).result).resolves.toMatchObject({ status: 'pending' });
    expect(store.inserted[0]).toMatchObject({ status: 'pending', holdReasons: ['article-policy'] });
  });

  it('publishes at once where the article’s policy is none on a first-time deployment', async () => {
    const store = new FakeCommentStore();
    store.articles.set(ARTICLE, { closed: false, moderation: 'none' });
    const settings = settingsWith({ policy: 'first-time' });
    await expect(post(store, settings).result).resolves.toMatchObject({ status: 'published' });
    expect(store.insertOptions[0]).toMatchObject({ ifKnownAuthor: false });
  });
});
