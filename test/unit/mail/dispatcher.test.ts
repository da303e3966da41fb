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
import { commentRecord, fixedId, NOW } from '../fakes';
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
