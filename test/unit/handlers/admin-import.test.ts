import { importArea } from '../../../lambda/areas';
import type { CommentRecord } from '../../../lambda/domain/comment';
import { ServiceBusyError } from '../../../lambda/domain/errors';
import {
  type ImportedReactions,
  type ImportResult,
  type ImportStore,
  importedCommentId,
} from '../../../lambda/domain/imports';
import { normaliseEmail } from '../../../lambda/domain/moderation';
import { createHandler } from '../../../lambda/handlers/admin-import';
import { httpEvent } from '../../support/events';
import { hasher } from '../fakes';
import { answer, asOperator, configuration, fieldsOf, JSON_TYPE, PROBLEM_TYPE } from './support';

class FakeImportStore implements ImportStore {
  batches: CommentRecord[][] = [];
  recordedAuthors: ReadonlySet<string>[] = [];
  reactions: ImportedReactions[] = [];
  existing = new Set<string>();
  failure: Error | undefined;

  async importComments(
    records: CommentRecord[],
    recordedAuthors: ReadonlySet<string> = new Set(),
  ): Promise<Pick<ImportResult, 'imported' | 'existing' | 'parentMissing'>> {
    if (this.failure) throw this.failure;
    this.batches.push(records);
    this.recordedAuthors.push(recordedAuthors);
    const existing = records.filter((record) => this.existing.has(record.commentId));
    return {
      imported: records
        .filter((record) => !this.existing.has(record.commentId))
        .map((r) => r.commentId),
      existing: existing.map((record) => record.commentId),
      parentMissing: [],
    };
  }

  async importReactions(reactions: ImportedReactions): Promise<boolean> {
    this.reactions.push(reactions);
    return true;
  }
}

const CREATED = '2026-11-26T10:05:00.000Z';
const ID = importedCommentId('wordpress\u0000site\u0000101', Date.parse(CREATED));
const REPLY_CREATED = '2026-11-26T10:20:00.000Z';
const REPLY_ID = importedCommentId('wordpress\u0000site\u0000102', Date.parse(REPLY_CREATED));
const EMAIL = 'Ada.Private@example.com';

function comment(overrides: Record<string, unknown> = {}) {
  return {
    id: ID,
    articleId: 'lighthouse-keepers',
    parentId: null,
    name: 'Ada',
    email: EMAIL,
    website: 'https://ada.example',
    body: '  What a piece.  ',
    status: 'published',
    createdAt: CREATED,
    editedAt: null,
    ...overrides,
  };
}

function setup() {
  const imports = new FakeImportStore();
  return {
    imports,
    handler: createHandler({
      ...configuration,
      areas: { imports: importArea(imports, { hasher }) },
    }),
  };
}

const post = (body: unknown) => asOperator(httpEvent('POST', '/admin/imports', { body }));

describe('POST /admin/imports', () => {
  it('answers 401 without operator credentials and writes nothing', async () => {
    const { handler, imports } = setup();
    const result = answer(
      await handler(httpEvent('POST', '/admin/imports', { body: { comments: [comment()] } })),
    );
    expect(result.status).toBe(401);
    expect(imports.batches).toEqual([]);
  });

  it('writes the batch, parents first, with the email’s keyed hash and no edit token', async () => {
    const { handler, imports } = setup();
    const reply = comment({
      id: REPLY_ID,
      parentId: ID,
      createdAt: REPLY_CREATED,
      email: null,
      status: 'pending',
    });
    const result = answer(await handler(post({ comments: [reply, comment()] })));
    expect(result.status).toBe(200);
    expect(result.headers['content-type']).toBe(JSON_TYPE);
    expect(result.body).toEqual({
      imported: [ID, REPLY_ID],
      existing: [],
      parentMissing: [],
      reactionsImported: [],
      reactionsExisting: [],
    });
    expect(result.text).not.toContain(EMAIL);
    const [records] = imports.batches;
    expect(records?.map((record) => record.commentId)).toEqual([ID, REPLY_ID]);
    expect(records?.[0]).toEqual({
      commentId: ID,
      articleId: 'lighthouse-keepers',
      parentId: null,
      authorName: 'Ada',
      authorWebsite: 'https://ada.example/',
      email: EMAIL,
      emailHash: hasher.hash('email', normaliseEmail(EMAIL)),
      editTokenHash: null,
      body: 'What a piece.',
      staff: false,
      pinned: false,
      // Asks for no mail (docs/notifications.md).
      imported: true,
      status: 'published',
      createdAt: CREATED,
      editedAt: null,
    });
    expect(records?.[1]).toMatchObject({
      email: null,
      emailHash: null,
      status: 'pending',
      parentId: ID,
    });
  });

  it('writes a signed-in reader’s marks and id at the site, as an export carries them', async () => {
    const { handler, imports } = setup();
    const result = answer(
      await handler(
        post({
          comments: [
            comment({ verified: true, badges: ['subscriber'], commenterId: 'user-42' }),
            comment({ id: REPLY_ID, createdAt: REPLY_CREATED, commenterId: 'coral-sso-7' }),
          ],
        }),
      ),
    );
    expect(result.status).toBe(200);
    expect(imports.batches[0]?.[0]).toMatchObject({
      verified: true,
      badges: ['subscriber'],
      commenterId: 'user-42',
    });
    // An id from another system's sign-on, with no token behind it: not verified.
    expect(imports.batches[0]?.[1]).toMatchObject({ commenterId: 'coral-sso-7' });
    expect(imports.batches[0]?.[1]?.verified).toBeUndefined();
  });

  it.each([
    [{ badges: 'subscriber' }, 'comments.0.badges'],
    [{ badges: ['Not A Badge'] }, 'comments.0.badges.0'],
    [{ commenterId: 'x'.repeat(129) }, 'comments.0.commenterId'],
    [{ commenterId: '' }, 'comments.0.commenterId'],
    [{ verified: 'yes' }, 'comments.0.verified'],
  ])('refuses %j naming %s', async (fields, field) => {
    const { handler, imports } = setup();
    const result = answer(await handler(post({ comments: [comment(fields)] })));
    expect(result.status).toBe(400);
    expect(fieldsOf(result.body)).toEqual([field]);
    expect(imports.batches).toEqual([]);
  });

  it('passes on the keyed hashes of authors the sender says are recorded, and only those', async () => {
    const { handler, imports } = setup();
    const other = comment({ id: REPLY_ID, createdAt: REPLY_CREATED, email: 'new@example.com' });
    const result = answer(
      await handler(post({ comments: [comment({ authorRecorded: true }), other] })),
    );
    expect(result.status).toBe(200);
    expect([...(imports.recordedAuthors[0] ?? [])]).toEqual([
      hasher.hash('email', normaliseEmail(EMAIL)),
    ]);
  });

  it('passes reaction counts on, per article', async () => {
    const { handler, imports } = setup();
    const result = answer(
      await handler(post({ reactions: [{ articleId: 'a1', counts: { happy: 2 } }] })),
    );
    expect(result.status).toBe(200);
    expect(result.body.reactionsImported).toEqual(['a1']);
    expect(imports.reactions).toEqual([{ articleId: 'a1', counts: { happy: 2 } }]);
  });

  it('refuses the whole batch naming every bad field, and writes nothing', async () => {
    const { handler, imports } = setup();
    const bad = [
      comment(),
      comment({
        id: REPLY_ID,
        createdAt: CREATED,
        name: ' ',
        website: 'ftp://x',
        body: 'x'.repeat(5001),
      }),
      comment({ articleId: 'a/b', status: 'trash', email: 'not-an-email', authorRecorded: 1 }),
    ];
    const result = answer(
      await handler(
        post({ comments: bad, reactions: [{ articleId: 'a1', counts: { angry: 1 } }] }),
      ),
    );
    expect(result.status).toBe(400);
    expect(result.headers['content-type']).toBe(PROBLEM_TYPE);
    expect(fieldsOf(result.body).sort()).toEqual(
      [
        'comments.1.name',
        'comments.1.website',
        'comments.1.body',
        'comments.2.articleId',
        'comments.2.status',
        'comments.2.email',
        'comments.2.authorRecorded',
        'reactions.0.counts.angry',
      ].sort(),
    );
    expect(result.text).not.toContain('not-an-email');
    expect(imports.batches).toEqual([]);
  });

  it('refuses an id that does not carry the comment’s time (its key could not be found)', async () => {
    const { handler, imports } = setup();
    const result = answer(
      await handler(post({ comments: [comment({ createdAt: REPLY_CREATED })] })),
    );
    expect(result.status).toBe(400);
    expect(fieldsOf(result.body)).toEqual(['comments.0.id']);
    expect(imports.batches).toEqual([]);
  });

  it.each([
    ['an empty batch', {}],
    ['too many comments', { comments: Array.from({ length: 251 }, () => comment()) }],
  ])('refuses %s', async (_name, body) => {
    const { handler, imports } = setup();
    const result = answer(await handler(post(body)));
    expect(result.status).toBe(400);
    expect(fieldsOf(result.body)).toEqual(['comments']);
    expect(imports.batches).toEqual([]);
  });

  it('answers 503 with Retry-After when the table is busy', async () => {
    const { handler, imports } = setup();
    imports.failure = new ServiceBusyError('ThrottlingException');
    const result = answer(await handler(post({ comments: [comment()] })));
    expect(result.status).toBe(503);
    expect(result.headers['retry-after']).toBe('1');
  });
});
