/**
 * The mail dispatcher on one stream batch: one read of the batch's comments (each once, however
 * often the batch names it), nothing for removals, count items or comments gone since, and the
 * comments' mail queued in the batch's order.
 */
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { CommentRecord } from '../../../lambda/domain/comment';
import type {
  CommentRef,
  NotificationStore,
  QueuedJob,
} from '../../../lambda/domain/notifications';
import { createDispatcher } from '../../../lambda/mail/dispatcher';
import { keys } from '../../../lambda/store/keys';
import { commentRecord, fixedClock, fixedId, hasher, NOW } from '../fakes';
import { notificationDeps } from './support';

const ARTICLE = 'lighthouse-keepers';

const held = (minute: number, overrides: Partial<CommentRecord> = {}) =>
  commentRecord({
    commentId: fixedId(NOW + minute * 60_000),
    articleId: ARTICLE,
    createdAt: new Date(NOW + minute * 60_000).toISOString(),
    status: 'pending',
    ...overrides,
  });

const streamRecord = (
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE',
  key: { PK: string; SK: string },
): DynamoDBRecord => ({ eventName, dynamodb: { Keys: { PK: { S: key.PK }, SK: { S: key.SK } } } });

const keyOf = (comment: CommentRecord) =>
  keys.comment(comment.articleId, comment.createdAt, comment.commentId);

describe('createDispatcher', () => {
  it('reads the batch’s comments once, together, and queues their mail in order', async () => {
    const first = held(0);
    const gone = held(1);
    const imported = held(2, { imported: true });
    const second = held(10);
    const removed = held(3);
    const reads: CommentRef[][] = [];
    const store = {
      findComments: async (refs: readonly CommentRef[]) => {
        reads.push([...refs]);
        return [second, imported, first];
      },
    } as unknown as NotificationStore;
    const queued: QueuedJob[][] = [];
    const deps = notificationDeps(store, { moderatorEmails: ['moderator@news.example'] });
    const dispatch = createDispatcher({
      ...deps,
      queue: { enqueue: async (jobs) => void queued.push(jobs) },
    });
    await dispatch({
      Records: [
        streamRecord('INSERT', keyOf(first)),
        streamRecord('INSERT', keyOf(gone)),
        streamRecord('MODIFY', keyOf(first)),
        streamRecord('REMOVE', keyOf(removed)),
        streamRecord('MODIFY', keys.statsHead(ARTICLE)),
        streamRecord('INSERT', keyOf(imported)),
        streamRecord('INSERT', keyOf(second)),
      ],
    } as DynamoDBStreamEvent);
    const ref = (comment: CommentRecord) => ({ articleId: ARTICLE, commentId: comment.commentId });
    expect(reads).toEqual([[ref(first), ref(gone), ref(imported), ref(second)]]);
    // Each held comment's notice for its own digest window, first then second; the imported
    // one asks for nothing, the one gone since for nothing at all.
    const windows = queued.map((jobs) => jobs.map(({ job }) => job));
    expect(windows).toEqual([
      [
        {
          kind: 'held',
          windowStart: '2026-11-26T21:15:00.000Z',
          windowEnd: '2026-11-26T21:20:00.000Z',
        },
      ],
      [],
      [
        {
          kind: 'held',
          windowStart: '2026-11-26T21:25:00.000Z',
          windowEnd: '2026-11-26T21:30:00.000Z',
        },
      ],
    ]);
  });
});

describe('createDispatcher: statements of reasons', () => {
  const AT = new Date(NOW - 1000).toISOString();
  const removed = held(0, {
    status: 'spam',
    email: 'author@reader.example',
    decision: {
      from: 'published',
      to: 'spam',
      at: AT,
      unpinned: false,
      grantedAuthor: false,
      ground: 'spam',
    },
  } as Partial<CommentRecord>);

  async function dispatchOne(comment: CommentRecord) {
    const store = { findComments: async () => [comment] } as unknown as NotificationStore;
    const queued: QueuedJob[] = [];
    const dispatch = createDispatcher({
      store,
      hasher,
      clock: fixedClock,
      mail: {
        siteName: 'News Site',
        articleUrlTemplate: 'https://news.example/{articleId}',
        apiUrl: 'https://api.news.example',
        moderatorEmails: [],
        digestSeconds: 300,
      },
      undoSeconds: 6,
      queue: { enqueue: async (jobs) => void queued.push(...jobs) },
    });
    await dispatch({ Records: [streamRecord('MODIFY', keyOf(comment))] } as DynamoDBStreamEvent);
    return queued;
  }

  it("queues the author's statement past the undo window, tied to the decision", async () => {
    const queued = await dispatchOne(removed);
    expect(queued).toEqual([
      {
        job: {
          kind: 'mail',
          mail: expect.objectContaining({
            key: `statement:${removed.commentId}:${AT}`,
            to: 'author@reader.example',
            subject: 'News Site: your comment was removed',
          }),
          decided: { articleId: ARTICLE, commentId: removed.commentId, at: AT },
        },
        // 6 s to undo, 5 for the undo to travel, 1 more.
        delaySeconds: 12,
      },
    ]);
  });

  it('queues none for a comment without an email', async () => {
    expect(await dispatchOne({ ...removed, email: null })).toEqual([]);
  });
});

describe('createDispatcher: notices of illegal content', () => {
  const notice = {
    articleId: ARTICLE,
    commentId: fixedId(NOW),
    reporterHash: 'r1',
    reason: 'illegal',
    email: 'notifier@witness.example',
    receivedAt: new Date(NOW - 60_000).toISOString(),
  };
  const reportKey = keys.report(notice.commentId, 'r1');

  async function dispatchReport(stored: Record<string, unknown>, comment?: CommentRecord) {
    const asked: string[][] = [];
    const store = {
      findComments: async () => [],
      findComment: async () => comment,
      findNotice: async (commentId: string, reporterHash: string) => {
        asked.push([commentId, reporterHash]);
        return stored;
      },
    } as unknown as NotificationStore;
    const queued: QueuedJob[] = [];
    const dispatch = createDispatcher({
      store,
      hasher,
      clock: fixedClock,
      mail: {
        siteName: 'News Site',
        articleUrlTemplate: 'https://news.example/{articleId}',
        apiUrl: 'https://api.news.example',
        moderatorEmails: [],
        digestSeconds: 300,
      },
      undoSeconds: 6,
      queue: { enqueue: async (jobs) => void queued.push(...jobs) },
    });
    await dispatch({
      Records: [streamRecord('INSERT', reportKey), streamRecord('MODIFY', reportKey)],
    } as DynamoDBStreamEvent);
    return { asked, queued };
  }

  it("reads a report once and queues its notifier's receipt at once", async () => {
    const { asked, queued } = await dispatchReport(notice);
    expect(asked).toEqual([[notice.commentId, 'r1']]);
    expect(queued).toEqual([
      {
        job: {
          kind: 'mail',
          mail: expect.objectContaining({ key: `notice-receipt:${notice.commentId}:r1` }),
        },
        delaySeconds: 0,
      },
    ]);
  });

  it('queues the decision past the undo window, tied to the status decided', async () => {
    const decidedAt = new Date(NOW - 1000).toISOString();
    const { queued } = await dispatchReport(
      { ...notice, decision: 'spam', decidedAt },
      held(0, { status: 'spam' }),
    );
    expect(queued[1]).toEqual({
      job: {
        kind: 'mail',
        mail: expect.objectContaining({
          key: `notice-decision:${notice.commentId}:r1:${decidedAt}`,
          to: 'notifier@witness.example',
        }),
        outcome: { articleId: ARTICLE, commentId: notice.commentId, status: 'spam' },
      },
      delaySeconds: 12,
    });
  });

  it('queues nothing for a report without an email', async () => {
    const { email: _none, ...anonymous } = notice;
    expect((await dispatchReport(anonymous)).queued).toEqual([]);
  });
});
