import 'aws-sdk-client-mock-jest';
import { DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import {
  ArticleClosedError,
  CommentNotFoundError,
  ParentNotFoundError,
  RateLimitedError,
  ServiceBusyError,
} from '../../../lambda/domain/errors';
import { type RateCharge, rateCharges } from '../../../lambda/domain/rate-limit';
import { DEFAULT_RATE_LIMITS } from '../../../lambda/domain/settings';
import { CommentRepository } from '../../../lambda/store/comment-repository';
import { FakeClock, fixedId, NOW } from '../fakes';
import {
  ARTICLE,
  COMMENT_ID,
  CREATED_AT,
  commentItem,
  commentRecord,
  countUpdates,
  EMAIL_HASH,
  namesOf,
  TABLE,
  TOKEN_HASH,
} from './comment-fixtures';
import { chargeUpdate, expectRateLimited } from './rate-window-fixtures';
import {
  BUSY_FAILURES,
  conditionalCheckFailed,
  conditionFailedAt,
  transactionCanceled,
} from './sdk-errors';

const PARENT_TIME = NOW - 60_000;
const PARENT_ID = fixedId(PARENT_TIME);
const CLIENT = 'cl1entHash0123456789ab';

const ddb = mockClient(DynamoDBDocumentClient);
const clock = new FakeClock();
const repository = new CommentRepository(
  DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })),
  TABLE,
  clock.read,
);

beforeEach(() => {
  ddb.reset();
  clock.now = NOW;
});

const record = commentRecord;

/** The minute and hour windows of a comment at NOW: 21:19 and 21:00. */
const CHARGES: RateCharge[] = rateCharges(DEFAULT_RATE_LIMITS, 'comment', CLIENT, NOW);

const NO_CHARGES = { ifOpen: false, ifKnownAuthor: false, charges: [] };
/** Insert options with the rate charges; under the first-time policy; on an open article. */
const CHARGED = { ifOpen: false, ifKnownAuthor: false, charges: CHARGES };
const FIRST_TIME = { ...CHARGED, ifKnownAuthor: true };
const IF_OPEN = { ...CHARGED, ifOpen: true };

const minuteCharge = chargeUpdate(
  'comment',
  CLIENT,
  'minute',
  '2026-11-26T21:19:00.000Z',
  3,
  '2026-11-26T21:20:00.000Z',
);
const hourCharge = chargeUpdate(
  'comment',
  CLIENT,
  'hour',
  '2026-11-26T21:00:00.000Z',
  20,
  '2026-11-26T22:00:00.000Z',
);

/** A published comment's count updates: it may be the article's first (autoCloseDays). */
const counts = (delta = 1, now = CREATED_AT) =>
  countUpdates(delta, now, delta > 0 ? CREATED_AT : undefined);

const authorUpdate = (mustExist: boolean) => ({
  Update: {
    TableName: TABLE,
    Key: { PK: `AUTHOR#${EMAIL_HASH}`, SK: 'AUTHOR' },
    UpdateExpression: 'SET entity = :entity, lastPublishedAt = :now REMOVE provisional, grantedBy',
    ...(mustExist ? { ConditionExpression: 'attribute_exists(PK)' } : {}),
    ExpressionAttributeValues: { ':entity': 'Author', ':now': CREATED_AT },
  },
});

const commentPut = (overrides: Record<string, unknown> = {}) => ({
  Put: {
    TableName: TABLE,
    Item: commentItem({
      topOf: `ARTICLE#${ARTICLE}`,
      topRank: `9999999999#${CREATED_AT}#${COMMENT_ID}`,
      ...overrides,
    }),
    ConditionExpression: 'attribute_not_exists(PK)',
  },
});

const parentCheck = {
  ConditionCheck: {
    TableName: TABLE,
    Key: {
      PK: `ARTICLE#${ARTICLE}`,
      SK: `COMMENT#${new Date(PARENT_TIME).toISOString()}#${PARENT_ID}`,
    },
    ConditionExpression: '#status = :published',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':published': 'published' },
  },
};

/** A page of two comments of ARTICLE, oldest first: the first, or the one after `after`. */
const pageOfTwo = (after?: string) =>
  repository.page({ articleId: ARTICLE, order: 'oldest', limit: 2, ...(after ? { after } : {}) });

function transactInput(call = 0) {
  return ddb.commandCalls(TransactWriteCommand)[call]?.args[0].input;
}

describe('CommentRepository.insert', () => {
  it('charges the rate windows first, then puts, counts and records the author, in one transaction', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    expect(await repository.insert(record(), CHARGED)).toBe('published');
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
    expect(ddb.calls()).toHaveLength(1);
    expect(transactInput()).toEqual({
      TransactItems: [minuteCharge, hourCharge, commentPut(), ...counts(), authorUpdate(false)],
    });
  });

  it('leaves null optional attributes out of the item', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await repository.insert(record(), NO_CHARGES);
    const item = transactInput()?.TransactItems?.[0]?.Put?.Item ?? {};
    expect(item.parentId).toBeUndefined();
    expect(item.authorWebsite).toBeUndefined();
    expect(item.editedAt).toBeUndefined();
    expect(item.commentId).toBe(COMMENT_ID);
  });

  it('checks, in the same transaction, that the parent is a published comment of the article', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await repository.insert(
      record({ parentId: PARENT_ID, authorWebsite: 'https://ada.example' }),
      CHARGED,
    );
    expect(transactInput()).toEqual({
      TransactItems: [
        minuteCharge,
        hourCharge,
        parentCheck,
        commentPut({ parentId: PARENT_ID, authorWebsite: 'https://ada.example' }),
        ...counts(),
        authorUpdate(false),
      ],
    });
  });

  it.each(['pending', 'spam'] as const)(
    'neither counts a %s comment nor records its author',
    async (status) => {
      ddb.on(TransactWriteCommand).resolves({});
      expect(await repository.insert(record({ status }), CHARGED)).toBe(status);
      expect(transactInput()).toEqual({
        TransactItems: [minuteCharge, hourCharge, commentPut({ status })],
      });
    },
  );

  it('publishes under the first-time policy only on the condition that the author is known', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    expect(await repository.insert(record(), FIRST_TIME)).toBe('published');
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
    expect(transactInput()).toEqual({
      TransactItems: [minuteCharge, hourCharge, commentPut(), ...counts(), authorUpdate(true)],
    });
  });

  it('stores a first-time author’s comment as pending, uncounted, in a second transaction', async () => {
    ddb.on(TransactWriteCommand).rejectsOnce(conditionFailedAt(5, 6)).resolves({});
    expect(await repository.insert(record(), FIRST_TIME)).toBe('pending');
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 2);
    expect(transactInput(1)).toEqual({
      TransactItems: [minuteCharge, hourCharge, commentPut({ status: 'pending' })],
    });
  });

  it('keeps the parent check when a first-time author’s reply falls back to pending', async () => {
    ddb.on(TransactWriteCommand).rejectsOnce(conditionFailedAt(6, 7)).resolves({});
    const reply = record({ parentId: PARENT_ID });
    expect(await repository.insert(reply, FIRST_TIME)).toBe('pending');
    expect(transactInput(1)).toEqual({
      TransactItems: [
        minuteCharge,
        hourCharge,
        parentCheck,
        commentPut({ status: 'pending', parentId: PARENT_ID }),
      ],
    });
  });

  it('does not fall back to pending when the author check was not asked for', async () => {
    const failure = conditionFailedAt(5, 6);
    ddb.on(TransactWriteCommand).rejects(failure);
    await expect(repository.insert(record(), CHARGED)).rejects.toBe(failure);
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
  });

  it.each([
    ['the minute window', ['ConditionalCheckFailed', 'None'], 60 - 15],
    ['the hour window', ['None', 'ConditionalCheckFailed'], 41 * 60 - 15],
    ['both windows', ['ConditionalCheckFailed', 'ConditionalCheckFailed'], 41 * 60 - 15],
  ])(
    'gives RateLimitedError when %s refuses, with the seconds until it ends, and writes nothing more',
    async (_case, windowReasons, retryAfter) => {
      clock.now = NOW + 15_000;
      ddb
        .on(TransactWriteCommand)
        .rejects(transactionCanceled(...windowReasons, 'None', 'None', 'None', 'None'));
      await expectRateLimited(repository.insert(record(), FIRST_TIME), retryAfter);
      expect(ddb.calls()).toHaveLength(1);
    },
  );

  it('gives RateLimitedError, not ParentNotFoundError, when both the window and the parent fail', async () => {
    ddb
      .on(TransactWriteCommand)
      .rejects(
        transactionCanceled('ConditionalCheckFailed', 'None', 'ConditionalCheckFailed', 'None'),
      );
    await expect(
      repository.insert(record({ parentId: PARENT_ID, status: 'pending' }), CHARGED),
    ).rejects.toBeInstanceOf(RateLimitedError);
  });

  it('gives ParentNotFoundError when the parent check fails, and writes nothing more', async () => {
    ddb.on(TransactWriteCommand).rejects(conditionFailedAt(2, 7));
    await expect(
      repository.insert(record({ parentId: PARENT_ID }), FIRST_TIME),
    ).rejects.toBeInstanceOf(ParentNotFoundError);
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
    expect(ddb.calls()).toHaveLength(1);
  });

  it('does not mistake an id collision for a missing parent', async () => {
    const collision = transactionCanceled('ConditionalCheckFailed', 'None', 'None', 'None');
    ddb.on(TransactWriteCommand).rejects(collision);
    await expect(repository.insert(record(), NO_CHARGES)).rejects.toBe(collision);
    expect(ddb.calls()).toHaveLength(1);
  });

  it.each(BUSY_FAILURES.filter(([name]) => name !== 'a transaction conflict'))(
    'gives ServiceBusyError for %s, and writes nothing more',
    async (_case, failure) => {
      ddb.on(TransactWriteCommand).rejects(failure());
      await expect(
        repository.insert(record({ parentId: PARENT_ID }), NO_CHARGES),
      ).rejects.toBeInstanceOf(ServiceBusyError);
      expect(ddb.calls()).toHaveLength(1);
    },
  );

  describe('when the transaction conflicts with another write (the reaction tally of the count item)', () => {
    /** The comment's transaction: windows, put, the two count items, the author. */
    const conflictOnCount = () =>
      transactionCanceled('None', 'None', 'None', 'TransactionConflict', 'None', 'None');

    function expectSameTransactionEachTime(times: number) {
      expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, times);
      expect(ddb.calls()).toHaveLength(times);
      for (let call = 1; call < times; call++)
        expect(transactInput(call)).toEqual(transactInput(0));
    }

    it('tries 3 times, the same transaction each time, then gives ServiceBusyError', async () => {
      ddb.on(TransactWriteCommand).rejects(conflictOnCount());
      await expect(repository.insert(record(), CHARGED)).rejects.toBeInstanceOf(ServiceBusyError);
      expectSameTransactionEachTime(3);
      expect(transactInput()).toEqual({
        TransactItems: [minuteCharge, hourCharge, commentPut(), ...counts(), authorUpdate(false)],
      });
    });

    it('gives ServiceBusyError after 3 tries for a conflict on any item', async () => {
      ddb.on(TransactWriteCommand).rejects(transactionCanceled('TransactionConflict', 'None'));
      await expect(
        repository.insert(record({ parentId: PARENT_ID }), NO_CHARGES),
      ).rejects.toBeInstanceOf(ServiceBusyError);
      expectSameTransactionEachTime(3);
    });

    it('succeeds when the second try does', async () => {
      ddb.on(TransactWriteCommand).rejectsOnce(conflictOnCount()).resolves({});
      expect(await repository.insert(record(), CHARGED)).toBe('published');
      expectSameTransactionEachTime(2);
    });

    it('succeeds when the third and last try does', async () => {
      ddb
        .on(TransactWriteCommand)
        .rejectsOnce(conflictOnCount())
        .rejectsOnce(conflictOnCount())
        .resolves({});
      expect(await repository.insert(record(), FIRST_TIME)).toBe('published');
      expectSameTransactionEachTime(3);
      expect(transactInput()).toEqual({
        TransactItems: [minuteCharge, hourCharge, commentPut(), ...counts(), authorUpdate(true)],
      });
    });

    it('does not retry a different failure that follows a conflict', async () => {
      clock.now = NOW + 15_000;
      ddb.on(TransactWriteCommand).rejectsOnce(conflictOnCount()).rejects(conditionFailedAt(0, 5));
      await expect(repository.insert(record(), CHARGED)).rejects.toBeInstanceOf(RateLimitedError);
      expectSameTransactionEachTime(2);
    });

    it('still falls back to pending for a first-time author, retrying that transaction’s conflict too', async () => {
      ddb
        .on(TransactWriteCommand)
        .rejectsOnce(conflictOnCount())
        .rejectsOnce(conditionFailedAt(5, 6))
        .rejectsOnce(transactionCanceled('None', 'TransactionConflict', 'None'))
        .resolves({});
      expect(await repository.insert(record(), FIRST_TIME)).toBe('pending');
      expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 4);
      expect(transactInput(1)).toEqual(transactInput(0));
      const pending = {
        TransactItems: [minuteCharge, hourCharge, commentPut({ status: 'pending' })],
      };
      expect(transactInput(2)).toEqual(pending);
      expect(transactInput(3)).toEqual(pending);
    });
  });

  it.each([
    [
      'ResourceNotFoundException',
      () => new ResourceNotFoundException({ message: 'no table', $metadata: {} }),
    ],
    ['ConditionalCheckFailedException', conditionalCheckFailed],
  ])('passes on %s unchanged', async (_case, failure) => {
    const error = failure();
    ddb.on(TransactWriteCommand).rejects(error);
    await expect(repository.insert(record(), NO_CHARGES)).rejects.toBe(error);
  });
});

describe('CommentRepository.find', () => {
  it('reads the comment consistently by the key its id gives, without the email', async () => {
    ddb.on(GetCommand).resolves({
      Item: { ...commentPut().Put.Item, email: undefined, emailHash: undefined },
    });
    const found = await repository.find(ARTICLE, COMMENT_ID);
    expect(ddb).toHaveReceivedCommandTimes(GetCommand, 1);
    const input = ddb.commandCalls(GetCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      TableName: TABLE,
      Key: { PK: `ARTICLE#${ARTICLE}`, SK: `COMMENT#${CREATED_AT}#${COMMENT_ID}` },
      ConsistentRead: true,
    });
    expect(Object.values(input?.ExpressionAttributeNames ?? {}).sort()).toEqual(
      [
        'articleId',
        'authorName',
        'authorWebsite',
        'body',
        'commentId',
        'createdAt',
        'editTokenHash',
        'editedAt',
        'parentId',
        'status',
        'staff',
        'pinned',
        'verified',
        'badges',
        'likes',
        'featuredAt',
      ].sort(),
    );
    expect(input?.ProjectionExpression).not.toMatch(/email/i);
    expect(found).toStrictEqual(record({ email: null, emailHash: null }));
  });

  it('gives undefined for no item', async () => {
    ddb.on(GetCommand).resolves({});
    expect(await repository.find(ARTICLE, COMMENT_ID)).toBeUndefined();
  });

  it.each(BUSY_FAILURES.slice(0, 4))('gives ServiceBusyError for %s', async (_case, failure) => {
    ddb.on(GetCommand).rejects(failure());
    await expect(repository.find(ARTICLE, COMMENT_ID)).rejects.toBeInstanceOf(ServiceBusyError);
  });
});

describe('CommentRepository.findWithArticle', () => {
  const names = [
    'PK',
    'SK',
    'closed',
    'closeAt',
    'keepOpen',
    'commenting',
    'firstCommentAt',
    'moderation',
    'commentId',
    'articleId',
    'parentId',
    'authorName',
    'authorWebsite',
    'body',
    'createdAt',
    'editedAt',
    'status',
    'staff',
    'pinned',
    'verified',
    'badges',
    'likes',
    'featuredAt',
    'editTokenHash',
  ];

  it('reads the comment and its article’s gate in one consistent BatchGetItem, without the email', async () => {
    ddb.on(BatchGetCommand).resolves({
      Responses: {
        [TABLE]: [
          { PK: `ARTICLE#${ARTICLE}`, SK: 'COMMENT#!COUNT', closed: false, moderation: 'all' },
          { ...commentPut().Put.Item, email: undefined, emailHash: undefined },
        ],
      },
    });
    const found = await repository.findWithArticle(ARTICLE, COMMENT_ID);
    expect(ddb).toHaveReceivedCommandTimes(BatchGetCommand, 1);
    expect(ddb.commandCalls(BatchGetCommand)[0]?.args[0].input).toEqual({
      RequestItems: {
        [TABLE]: {
          Keys: [
            { PK: `ARTICLE#${ARTICLE}`, SK: `COMMENT#${CREATED_AT}#${COMMENT_ID}` },
            { PK: `ARTICLE#${ARTICLE}`, SK: 'COMMENT#!COUNT' },
          ],
          ConsistentRead: true,
          ProjectionExpression: names.map((name) => `#${name}`).join(', '),
          ExpressionAttributeNames: Object.fromEntries(names.map((name) => [`#${name}`, name])),
        },
      },
    });
    expect(found).toStrictEqual({
      record: record({ email: null, emailHash: null }),
      article: { closed: false, moderation: 'all' },
    });
  });

  it('gives no record for a comment that is not there, and no settings for an article without a stats item', async () => {
    ddb.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [] } });
    expect(await repository.findWithArticle(ARTICLE, COMMENT_ID)).toEqual({
      record: undefined,
      article: { closed: false },
    });
  });

  it.each(BUSY_FAILURES.slice(0, 4))('gives ServiceBusyError for %s', async (_case, failure) => {
    ddb.on(BatchGetCommand).rejects(failure());
    await expect(repository.findWithArticle(ARTICLE, COMMENT_ID)).rejects.toBeInstanceOf(
      ServiceBusyError,
    );
  });
});

describe('CommentRepository.changeBody', () => {
  const EDITED_AT = new Date(NOW + 60_000).toISOString();

  const bodyUpdate = (from: string, to: string) => ({
    Update: {
      TableName: TABLE,
      Key: { PK: `ARTICLE#${ARTICLE}`, SK: `COMMENT#${CREATED_AT}#${COMMENT_ID}` },
      UpdateExpression:
        'SET #body = :body, editedAt = :editedAt, #status = :to REMOVE holdReasons, screenScores',
      ConditionExpression: '#status = :from AND editTokenHash = :token',
      ExpressionAttributeNames: { '#status': 'status', '#body': 'body' },
      ExpressionAttributeValues: {
        ':body': 'Fixed.',
        ':editedAt': EDITED_AT,
        ':to': to,
        ':from': from,
        ':token': TOKEN_HASH,
      },
    },
  });

  it('changes the body on the condition that status and token are as read', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await repository.changeBody(record(), {
      body: 'Fixed.',
      editedAt: EDITED_AT,
      status: 'published',
    });
    expect(transactInput()).toEqual({ TransactItems: [bodyUpdate('published', 'published')] });
  });

  it('uncounts a published comment that an edit sends back to pending', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await repository.changeBody(record(), {
      body: 'Fixed.',
      editedAt: EDITED_AT,
      status: 'pending',
    });
    expect(transactInput()).toEqual({
      TransactItems: [bodyUpdate('published', 'pending'), ...counts(-1, EDITED_AT)],
    });
  });

  it('stores why the screen held the new text, with its scores', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await repository.changeBody(record(), {
      body: 'Fixed.',
      editedAt: EDITED_AT,
      status: 'pending',
      holdReasons: ['screen:insults'],
      screenScores: { insults: 'HIGH' },
    });
    const update = bodyUpdate('published', 'pending').Update;
    expect(transactInput()?.TransactItems?.[0]).toEqual({
      Update: {
        ...update,
        UpdateExpression:
          'SET #body = :body, editedAt = :editedAt, #status = :to, holdReasons = :holdReasons, screenScores = :screenScores',
        ExpressionAttributeValues: {
          ...update.ExpressionAttributeValues,
          ':holdReasons': ['screen:insults'],
          ':screenScores': { insults: 'HIGH' },
        },
      },
    });
  });

  it('gives CommentNotFoundError when the comment changed meanwhile', async () => {
    ddb.on(TransactWriteCommand).rejects(transactionCanceled('ConditionalCheckFailed', 'None'));
    await expect(
      repository.changeBody(record(), { body: 'Fixed.', editedAt: EDITED_AT, status: 'pending' }),
    ).rejects.toBeInstanceOf(CommentNotFoundError);
    expect(ddb.calls()).toHaveLength(1);
  });
});

describe('CommentRepository.remove', () => {
  const commentDelete = (status: string) => ({
    Delete: {
      TableName: TABLE,
      Key: { PK: `ARTICLE#${ARTICLE}`, SK: `COMMENT#${CREATED_AT}#${COMMENT_ID}` },
      ConditionExpression: '#status = :from AND editTokenHash = :token',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':from': status, ':token': TOKEN_HASH },
    },
  });

  it('deletes a published comment and uncounts it, stamped by the clock', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    clock.now = NOW + 120_000;
    await repository.remove(record());
    expect(transactInput()).toEqual({
      TransactItems: [
        commentDelete('published'),
        ...counts(-1, new Date(NOW + 120_000).toISOString()),
      ],
    });
  });

  it.each(['pending', 'spam'] as const)('deletes a %s comment without counting', async (status) => {
    ddb.on(TransactWriteCommand).resolves({});
    await repository.remove(record({ status }));
    expect(transactInput()).toEqual({ TransactItems: [commentDelete(status)] });
  });

  it('gives CommentNotFoundError when the comment changed meanwhile', async () => {
    ddb
      .on(TransactWriteCommand)
      .rejects(transactionCanceled('ConditionalCheckFailed', 'None', 'None'));
    await expect(repository.remove(record())).rejects.toBeInstanceOf(CommentNotFoundError);
  });

  it('gives ServiceBusyError for a conflict on the counts', async () => {
    ddb
      .on(TransactWriteCommand)
      .rejects(transactionCanceled('None', 'TransactionConflict', 'None'));
    await expect(repository.remove(record())).rejects.toBeInstanceOf(ServiceBusyError);
  });
});

describe('CommentRepository.gate', () => {
  const COMMENTER = 'c0mmenterId';
  const ARTICLE_KEY = { PK: `ARTICLE#${ARTICLE}`, SK: 'COMMENT#!COUNT' };
  const COMMENTER_KEY = { PK: `COMMENTER#${COMMENTER}`, SK: 'COMMENTER' };
  const NAMES = [
    'PK',
    'SK',
    'closed',
    'closeAt',
    'keepOpen',
    'commenting',
    'firstCommentAt',
    'moderation',
    'state',
    'until',
  ];
  const responses = (...items: Record<string, unknown>[]) => ({
    Responses: { [TABLE]: items },
  });

  it('reads the article’s settings and the commenter’s state in one eventually consistent BatchGetItem', async () => {
    ddb.on(BatchGetCommand).resolves(
      responses(
        { ...COMMENTER_KEY, state: 'suspended', until: '2026-12-01T00:00:00.000Z' },
        {
          ...ARTICLE_KEY,
          closed: true,
          moderation: 'all',
          commenting: 'signed-in',
          closeAt: '2026-12-24T18:00:00.000Z',
        },
      ),
    );
    expect(await repository.gate(ARTICLE, COMMENTER)).toEqual({
      article: {
        closed: true,
        moderation: 'all',
        commenting: 'signed-in',
        closeAt: '2026-12-24T18:00:00.000Z',
      },
      commenter: { state: 'suspended', until: '2026-12-01T00:00:00.000Z' },
    });
    expect(ddb.calls()).toHaveLength(1);
    expect(ddb.commandCalls(BatchGetCommand)[0]?.args[0].input).toEqual({
      RequestItems: {
        [TABLE]: {
          Keys: [ARTICLE_KEY, COMMENTER_KEY],
          ProjectionExpression: NAMES.map((name) => `#${name}`).join(', '),
          ExpressionAttributeNames: Object.fromEntries(NAMES.map((name) => [`#${name}`, name])),
        },
      },
    });
  });

  it.each([
    ['neither item', [], { article: { closed: false } }],
    [
      'a banned commenter',
      [{ ...COMMENTER_KEY, state: 'banned' }],
      {
        article: { closed: false },
        commenter: { state: 'banned' },
      },
    ],
    [
      'an unknown state, as normal',
      [{ ...COMMENTER_KEY, state: 'sulking' }],
      {
        article: { closed: false },
        commenter: { state: 'normal' },
      },
    ],
    ['an article item only', [{ ...ARTICLE_KEY, closed: true }], { article: { closed: true } }],
  ])('answers %s', async (_, items, expected) => {
    ddb.on(BatchGetCommand).resolves(responses(...items));
    expect(await repository.gate(ARTICLE, COMMENTER)).toEqual(expected);
  });

  it('asks again for keys left unprocessed', async () => {
    ddb
      .on(BatchGetCommand)
      .resolvesOnce({
        Responses: { [TABLE]: [{ ...ARTICLE_KEY, closed: true }] },
        UnprocessedKeys: { [TABLE]: { Keys: [COMMENTER_KEY] } },
      })
      .resolves(responses({ ...COMMENTER_KEY, state: 'trusted' }));
    expect(await repository.gate(ARTICLE, COMMENTER)).toEqual({
      article: { closed: true },
      commenter: { state: 'trusted' },
    });
    expect(ddb.commandCalls(BatchGetCommand)[1]?.args[0].input.RequestItems?.[TABLE]?.Keys).toEqual(
      [COMMENTER_KEY],
    );
  });

  it.each(BUSY_FAILURES)('gives ServiceBusyError for %s', async (_, failure) => {
    ddb.on(BatchGetCommand).rejects(failure());
    await expect(repository.gate(ARTICLE, COMMENTER)).rejects.toBeInstanceOf(ServiceBusyError);
  });
});

describe('CommentRepository.page', () => {
  const PROJECTION =
    '#PK, #SK, #entity, #commentId, #articleId, #parentId, #authorName, #authorWebsite, #body, #createdAt, #editedAt, #status, #staff, #pinned, #verified, #badges, #likes, #featuredAt, #commentCount, #pins, #features, #closed, #closeAt, #keepOpen, #commenting, #firstCommentAt, #reactionTotal, #reactionCounts';
  const NAMES = namesOf(PROJECTION);

  const stats = (SK: string, commentCount: number) => ({
    PK: `ARTICLE#${ARTICLE}`,
    SK,
    entity: 'ArticleStats',
    commentCount,
  });

  const item = (minute: number, extra: Record<string, unknown> = {}) => {
    const time = NOW + minute * 60_000;
    const createdAt = new Date(time).toISOString();
    const commentId = fixedId(time);
    return {
      PK: `ARTICLE#${ARTICLE}`,
      SK: `COMMENT#${createdAt}#${commentId}`,
      entity: 'Comment',
      commentId,
      articleId: ARTICLE,
      authorName: `Author ${minute}`,
      body: `Comment ${minute}`,
      createdAt,
      status: 'published',
      ...extra,
    };
  };

  function queryInput() {
    return ddb.commandCalls(QueryCommand)[0]?.args[0].input;
  }

  it('reads a first page with its count in one Query, oldest first', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    await repository.page({ articleId: ARTICLE, order: 'oldest', limit: 10 });
    expect(ddb).toHaveReceivedCommandTimes(QueryCommand, 1);
    expect(ddb.calls()).toHaveLength(1);
    expect(queryInput()).toEqual({
      TableName: TABLE,
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :first AND :last',
      FilterExpression:
        '#entity = :stats OR (#status = :published AND attribute_not_exists(#pinned))',
      Select: 'SPECIFIC_ATTRIBUTES',
      ProjectionExpression: PROJECTION,
      ExpressionAttributeNames: NAMES,
      ExpressionAttributeValues: {
        ':pk': `ARTICLE#${ARTICLE}`,
        ':first': 'COMMENT#!COUNT',
        ':last': 'COMMENT#~COUNT',
        ':stats': 'ArticleStats',
        ':published': 'published',
      },
      ScanIndexForward: true,
      Limit: 12,
    });
    expect(queryInput()?.ExclusiveStartKey).toBeUndefined();
  });

  it('never asks for the email', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    await repository.page({ articleId: ARTICLE, order: 'newest', limit: 10 });
    const input = queryInput();
    expect(input?.ProjectionExpression).not.toMatch(/email/i);
    expect(Object.values(input?.ExpressionAttributeNames ?? {})).not.toContain('email');
  });

  it('reads newest first and continues after a sort key', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    const after = item(5).SK;
    await repository.page({ articleId: ARTICLE, order: 'newest', limit: 10, after });
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      ScanIndexForward: false,
      Limit: 11,
      ExclusiveStartKey: { PK: `ARTICLE#${ARTICLE}`, SK: after },
    });
  });

  it('reads the Top order from index byTop, the stats item heading it, in one Query', async () => {
    const rank = (likes: number, minute: number) =>
      `${String(9_999_999_999 - likes).padStart(10, '0')}#${item(minute).createdAt}#${item(minute).commentId}`;
    ddb.on(QueryCommand).resolves({
      // As the index gives them: no entity, no articleId.
      Items: (
        [
          { ...stats('COMMENT#!COUNT', 3), topRank: '!' },
          item(2, { likes: 9, topRank: rank(9, 2) }),
          item(1, { likes: 4, topRank: rank(4, 1) }),
          item(3, { likes: 4, topRank: rank(4, 3) }),
        ] as Record<string, unknown>[]
      ).map(({ entity: _entity, articleId: _articleId, ...indexed }) => indexed),
    });
    const page = await repository.page({ articleId: ARTICLE, order: 'top', limit: 2 });
    expect(ddb).toHaveReceivedCommandTimes(QueryCommand, 1);
    expect(queryInput()).toEqual({
      TableName: TABLE,
      IndexName: 'byTop',
      KeyConditionExpression: '#topOf = :pk',
      // The index holds neither `entity` nor `articleId` (CloudFormation's 20 attributes).
      FilterExpression:
        'attribute_exists(#commentCount) OR (#status = :published AND attribute_not_exists(#pinned))',
      Select: 'SPECIFIC_ATTRIBUTES',
      ProjectionExpression: `${PROJECTION.replace('#entity, ', '').replace('#articleId, ', '')}, #topOf, #topRank`,
      ExpressionAttributeNames: {
        ...Object.fromEntries(
          Object.entries(NAMES).filter(([name]) => name !== '#entity' && name !== '#articleId'),
        ),
        '#topOf': 'topOf',
        '#topRank': 'topRank',
      },
      ExpressionAttributeValues: {
        ':pk': `ARTICLE#${ARTICLE}`,
        ':published': 'published',
      },
      ScanIndexForward: true,
      Limit: 4,
    });
    expect(page.commentCount).toBe(3);
    expect(
      page.comments.map((comment) => [comment.body, comment.likes, comment.articleId]),
    ).toEqual([
      ['Comment 2', 9, ARTICLE],
      ['Comment 1', 4, ARTICLE],
    ]);
    // A cursor continues after the last rank shown, which names the comment's table key.
    expect(page.nextAfter).toBe(rank(4, 1));
    ddb.reset();
    ddb.on(QueryCommand).resolves({ Items: [] });
    await repository.page({ articleId: ARTICLE, order: 'top', limit: 2, after: rank(4, 1) });
    expect(queryInput()?.ExclusiveStartKey).toEqual({
      topOf: `ARTICLE#${ARTICLE}`,
      topRank: rank(4, 1),
      PK: `ARTICLE#${ARTICLE}`,
      SK: item(1).SK,
    });
  });

  it('returns the count, the first page and where to continue', async () => {
    ddb.on(QueryCommand).resolves({
      Items: [stats('COMMENT#!COUNT', 3), item(1), item(2), item(3)],
      LastEvaluatedKey: { PK: `ARTICLE#${ARTICLE}`, SK: item(3).SK },
    });
    const page = await pageOfTwo();
    expect(page.commentCount).toBe(3);
    expect(page.comments.map((comment) => comment.body)).toEqual(['Comment 1', 'Comment 2']);
    expect(page.nextAfter).toBe(item(2).SK);
  });

  it('maps items to public fields only, with nulls for absent attributes', async () => {
    ddb.on(QueryCommand).resolves({
      Items: [item(1, { email: 'leaked@example.com', authorWebsite: 'https://a.example' })],
    });
    const page = await pageOfTwo();
    expect(page.comments).toStrictEqual([
      {
        commentId: item(1).commentId,
        articleId: ARTICLE,
        parentId: null,
        authorName: 'Author 1',
        authorWebsite: 'https://a.example',
        body: 'Comment 1',
        createdAt: item(1).createdAt,
        editedAt: null,
        staff: false,
        pinned: false,
      },
    ]);
  });

  it('gives a count of 0 on a first page without a count item', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    expect(await pageOfTwo()).toEqual({
      commentCount: 0,
      stats: { commentCount: 0, reactionCounts: {}, reactionTotal: 0, closed: false },
      pinned: [],
      featured: [],
      comments: [],
      nextAfter: null,
    });
  });

  it.each([
    ['oldest', 'COMMENT#!COUNT'],
    ['newest', 'COMMENT#~COUNT'],
  ] as const)(
    'reads the stats item of a first page %s first: reactions as tallied and whether it is closed',
    async (order, SK) => {
      ddb.on(QueryCommand).resolves({
        Items: [
          {
            ...stats(SK, 4),
            reactionTotal: 7,
            reactionCounts: { happy: 5, silly: 2, bogus: 'x' },
            closed: true,
          },
          item(1),
        ],
      });
      const page = await repository.page({ articleId: ARTICLE, order, limit: 2 });
      expect(page.stats).toEqual({
        commentCount: 4,
        reactionCounts: { happy: 5, silly: 2 },
        reactionTotal: 7,
        closed: true,
      });
    },
  );

  it('reads the article’s own settings from a first page’s stats item, ignoring a bad policy', async () => {
    ddb.on(QueryCommand).resolves({
      Items: [
        {
          ...stats('COMMENT#!COUNT', 4),
          closeAt: '2026-12-24T18:00:00.000Z',
          keepOpen: true,
          commenting: 'badge:subscriber',
          moderation: 'sometimes',
          firstCommentAt: '2026-11-20T08:00:00.000Z',
        },
      ],
    });
    const page = await repository.page({ articleId: ARTICLE, order: 'oldest', limit: 2 });
    expect(page.stats).toEqual({
      commentCount: 4,
      reactionCounts: {},
      reactionTotal: 0,
      closed: false,
      closeAt: '2026-12-24T18:00:00.000Z',
      keepOpen: true,
      commenting: 'badge:subscriber',
      firstCommentAt: '2026-11-20T08:00:00.000Z',
    });
  });

  it('gives no count on a later page', async () => {
    ddb.on(QueryCommand).resolves({ Items: [item(3)] });
    const page = await pageOfTwo(item(2).SK);
    expect(page.commentCount).toBeUndefined();
  });

  it('continues from where DynamoDB stopped when filtered items shortened the page', async () => {
    ddb.on(QueryCommand).resolves({
      Items: [item(3)],
      LastEvaluatedKey: { PK: `ARTICLE#${ARTICLE}`, SK: item(4).SK },
    });
    const page = await pageOfTwo(item(2).SK);
    expect(page.nextAfter).toBe(item(4).SK);
  });

  it.each(['COMMENT#~COUNT', 'COMMENT#!COUNT'])(
    'ends the list when DynamoDB stopped at the count item %s',
    async (SK) => {
      ddb.on(QueryCommand).resolves({
        Items: [item(3)],
        LastEvaluatedKey: { PK: `ARTICLE#${ARTICLE}`, SK },
      });
      const page = await pageOfTwo(item(2).SK);
      expect(page.nextAfter).toBeNull();
    },
  );

  it.each(BUSY_FAILURES.slice(0, 4))('gives ServiceBusyError for %s', async (_case, failure) => {
    ddb.on(QueryCommand).rejects(failure());
    await expect(pageOfTwo()).rejects.toBeInstanceOf(ServiceBusyError);
  });
});

describe('CommentRepository.insert on an article that may be closed', () => {
  const OPEN = {
    ConditionExpression: 'attribute_not_exists(#closed)',
    ExpressionAttributeNames: { '#closed': 'closed' },
  };
  const [headCount, tailCount] = counts();

  it('checks a published comment’s count Update of the stats head for `closed`', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await repository.insert(record(), IF_OPEN);
    expect(transactInput()).toEqual({
      TransactItems: [
        minuteCharge,
        hourCharge,
        commentPut(),
        { Update: { ...headCount?.Update, ...OPEN } },
        tailCount,
        authorUpdate(false),
      ],
    });
  });

  it('adds a ConditionCheck of the stats head for a comment that is not counted', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await repository.insert(record({ status: 'pending' }), {
      ifOpen: true,
      ifKnownAuthor: false,
      charges: [],
    });
    expect(transactInput()).toEqual({
      TransactItems: [
        commentPut({ status: 'pending' }),
        {
          ConditionCheck: {
            TableName: TABLE,
            Key: { PK: `ARTICLE#${ARTICLE}`, SK: 'COMMENT#!COUNT' },
            ...OPEN,
          },
        },
      ],
    });
  });

  it.each([
    ['published', 'None', 'None', 'None', 'ConditionalCheckFailed', 'None', 'None'],
    ['pending', 'None', 'None', 'None', 'ConditionalCheckFailed'],
  ] as const)(
    'gives ArticleClosedError when the %s comment’s check fails, in one request',
    async (status, ...reasons) => {
      ddb.on(TransactWriteCommand).rejects(transactionCanceled(...reasons));
      await expect(repository.insert(record({ status }), IF_OPEN)).rejects.toBeInstanceOf(
        ArticleClosedError,
      );
      expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
    },
  );
});

describe('CommentRepository.page with pinned comments', () => {
  const at = (minute: number) => new Date(NOW + minute * 60_000).toISOString();
  const listed = (minute: number, extra: Record<string, unknown> = {}) => ({
    PK: `ARTICLE#${ARTICLE}`,
    SK: `COMMENT#${at(minute)}#${fixedId(NOW + minute * 60_000)}`,
    entity: 'Comment',
    commentId: fixedId(NOW + minute * 60_000),
    articleId: ARTICLE,
    authorName: `Author ${minute}`,
    body: `Comment ${minute}`,
    status: 'published',
    createdAt: at(minute),
    ...extra,
  });
  const copy = (minute: number) => {
    const { PK: _pk, SK: _sk, entity: _entity, status: _status, ...fields } = listed(minute);
    return { ...fields, pinned: true, staff: true };
  };
  const head = (pins: number[], extra: Record<string, unknown> = {}) => ({
    PK: `ARTICLE#${ARTICLE}`,
    SK: 'COMMENT#!COUNT',
    entity: 'ArticleStats',
    commentCount: 9,
    pins: Object.fromEntries(pins.map((minute) => [fixedId(NOW + minute * 60_000), copy(minute)])),
    ...extra,
  });

  it('puts the pinned copies first, oldest first, and fills only the rest of the page', async () => {
    ddb.on(QueryCommand).resolves({ Items: [head([7, 5]), listed(1), listed(2), listed(3)] });
    const page = await repository.page({ articleId: ARTICLE, order: 'oldest', limit: 3 });
    expect(page.pinned?.map((comment) => [comment.body, comment.pinned, comment.staff])).toEqual([
      ['Comment 5', true, true],
      ['Comment 7', true, true],
    ]);
    expect(page.comments.map((comment) => comment.body)).toEqual(['Comment 1']);
    expect(page.nextAfter).toBe(listed(1).SK);
    expect(page.stats?.closed).toBe(false);
  });

  it('continues right after the stats item when the pinned comments fill the page', async () => {
    ddb.on(QueryCommand).resolves({ Items: [head([4, 5]), listed(1)] });
    const page = await pageOfTwo();
    expect(page.comments).toEqual([]);
    expect(page.nextAfter).toBe('COMMENT#!COUNT');
  });

  it('reports a closed article from the stats item', async () => {
    ddb.on(QueryCommand).resolves({ Items: [head([], { closed: true })] });
    const page = await pageOfTwo();
    expect(page.stats?.closed).toBe(true);
    expect(page.pinned).toEqual([]);
  });

  it('has no pinned comments on a later page', async () => {
    ddb.on(QueryCommand).resolves({ Items: [listed(3)] });
    const page = await pageOfTwo(listed(2).SK);
    expect(page).toEqual({
      comments: [expect.objectContaining({ body: 'Comment 3' })],
      nextAfter: null,
    });
  });
});

describe('CommentRepository.changeBody of a pinned comment', () => {
  it('changes the pinned copies on both stats items in the same transaction', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const editedAt = new Date(NOW + 60_000).toISOString();
    await repository.changeBody(record({ pinned: true }), {
      body: 'Fixed.',
      editedAt,
      status: 'published',
    });
    const items = transactInput()?.TransactItems ?? [];
    expect(items.slice(1)).toEqual(
      ['COMMENT#!COUNT', 'COMMENT#~COUNT'].map((SK) => ({
        Update: {
          TableName: TABLE,
          Key: { PK: `ARTICLE#${ARTICLE}`, SK },
          UpdateExpression: 'SET pins.#pin.#body = :body, pins.#pin.editedAt = :editedAt',
          ExpressionAttributeNames: { '#pin': COMMENT_ID, '#body': 'body' },
          ExpressionAttributeValues: { ':body': 'Fixed.', ':editedAt': editedAt },
        },
      })),
    );
  });

  it('unpins a pinned comment that the edit sends back to pending', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const editedAt = new Date(NOW + 60_000).toISOString();
    await repository.changeBody(record({ pinned: true }), {
      body: 'Now with links.',
      editedAt,
      status: 'pending',
    });
    const items = transactInput()?.TransactItems ?? [];
    expect(items[0]?.Update?.UpdateExpression).toBe(
      'SET #body = :body, editedAt = :editedAt, #status = :to REMOVE pinned, holdReasons, screenScores',
    );
    expect(items.slice(1).map((item) => item.Update?.UpdateExpression)).toEqual([
      'ADD commentCount :delta SET entity = :entity, articleId = :articleId, updatedAt = :now, articleList = :articleList, topOf = :topOf, topRank = :topRank REMOVE pins.#pin',
      'ADD commentCount :delta SET entity = :entity, articleId = :articleId, updatedAt = :now REMOVE pins.#pin',
    ]);
    expect(items[1]?.Update?.ExpressionAttributeNames).toEqual({ '#pin': COMMENT_ID });
  });
});
