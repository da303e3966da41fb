import type { DynamoDBStreamEvent, SQSRecord } from 'aws-lambda';
import type {
  Delivery,
  HookComment,
  HookSendDeps,
  HookStore,
  QueuedDelivery,
} from '../../../lambda/domain/webhooks';
import { keys } from '../../../lambda/store/keys';
import { createHookDispatcher } from '../../../lambda/webhooks/dispatcher';
import { DeliveryFailedError } from '../../../lambda/webhooks/http-poster';
import { createHookSender } from '../../../lambda/webhooks/sender';
import { commentRecord, hasher, NOW } from '../fakes';

const A = 'https://a.example/in';
const first = commentRecord({ commentId: '01KBA', articleId: 'art-1' });
const second = commentRecord({ commentId: '01KBB', articleId: 'art-1', status: 'pending' });

function record(
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE',
  c: { articleId: string; commentId: string },
) {
  const key = keys.commentById(c.articleId, c.commentId);
  return { eventName, dynamodb: { Keys: { PK: { S: key.PK }, SK: { S: key.SK } } } };
}

class Store implements HookStore {
  asked: unknown[] = [];
  constructor(private readonly comments: HookComment[]) {}
  async findComments(refs: readonly { articleId: string; commentId: string }[]) {
    this.asked.push(refs);
    return this.comments.filter((c) => refs.some((r) => r.commentId === c.commentId));
  }
  async findComment() {
    return this.comments[0];
  }
  async claim() {
    return true;
  }
  async release() {}
}

describe('the webhook dispatcher', () => {
  it('reads the batch’s comments in one go and queues what each calls for now', async () => {
    const store = new Store([first, second]);
    const queued: QueuedDelivery[] = [];
    const dispatch = createHookDispatcher({
      store,
      webhooks: [{ url: A, events: ['comment.created', 'comment.removed'] }],
      slack: true,
      undoSeconds: 6,
      queue: { enqueue: async (jobs) => void queued.push(...jobs) },
    });
    const gone = { articleId: 'art-1', commentId: '01KBC' };
    await dispatch({
      Records: [
        record('INSERT', first),
        record('MODIFY', first),
        record('MODIFY', second),
        record('REMOVE', gone),
        {
          eventName: 'MODIFY',
          dynamodb: { Keys: { PK: { S: 'ARTICLE#art-1' }, SK: { S: 'COMMENT#!COUNT' } } },
        },
      ],
    } as DynamoDBStreamEvent);
    // The deleted comment is not read: it is gone.
    expect(store.asked).toEqual([
      [
        { articleId: 'art-1', commentId: '01KBA' },
        { articleId: 'art-1', commentId: '01KBB' },
      ],
    ]);
    expect(
      queued.map(({ job }) => [job.kind, job.kind === 'event' ? job.event : '', job.ref.commentId]),
    ).toEqual([
      ['event', 'comment.created', '01KBA'],
      ['slack', '', '01KBB'],
      ['event', 'comment.removed', '01KBC'],
    ]);
  });

  it('queues nothing and reads nothing for a batch of no comments', async () => {
    const store = new Store([]);
    const enqueue = jest.fn();
    await createHookDispatcher({
      store,
      webhooks: [],
      slack: true,
      undoSeconds: 6,
      queue: { enqueue },
    })({
      Records: [
        {
          eventName: 'INSERT',
          dynamodb: { Keys: { PK: { S: 'VOTE#x' }, SK: { S: 'ARTICLE#a' } } },
        },
      ],
    } as DynamoDBStreamEvent);
    expect(store.asked).toEqual([]);
    expect(enqueue).not.toHaveBeenCalled();
  });
});

function sqsRecord(job: Delivery, receiveCount: number, id: string): SQSRecord {
  return {
    messageId: id,
    receiptHandle: `receipt-${id}`,
    body: JSON.stringify(job),
    attributes: { ApproximateReceiveCount: String(receiveCount) },
  } as unknown as SQSRecord;
}

describe('the webhook sender', () => {
  const job: Delivery = {
    kind: 'event',
    event: 'comment.created',
    url: `${A}?token=s3cret`,
    ref: first,
    stamp: first.createdAt,
  };

  function sender(post: HookSendDeps['post']) {
    const retryLater = jest.fn(async () => undefined);
    const consume = createHookSender({
      store: new Store([first]),
      hasher,
      clock: () => NOW,
      endpoints: [
        {
          url: `${A}?token=s3cret`,
          events: ['comment.created'],
          includeEmail: false,
          secret: async () => 'x'.repeat(32),
        },
      ],
      links: { apiUrl: 'https://api.example' },
      post,
      retryLater,
    });
    return { consume, retryLater };
  }

  it('reports a failed delivery, puts it back after a doubling wait and logs the host alone', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { consume, retryLater } = sender(async () => {
      throw new DeliveryFailedError('status 503');
    });
    const answer = await consume({ Records: [sqsRecord(job, 3, 'm1')] });
    expect(answer.batchItemFailures).toEqual([{ itemIdentifier: 'm1' }]);
    expect(retryLater).toHaveBeenCalledWith('receipt-m1', 120);
    expect(warn).toHaveBeenCalledTimes(1);
    const line = JSON.parse(String(warn.mock.calls[0]?.[0]));
    expect(line).toEqual({
      level: 'WARN',
      message: 'webhook delivery failed; it will be tried again',
      endpoint: 'a.example',
      event: 'comment.created',
      attempt: 3,
      error: 'status 503',
      retryInSeconds: 120,
    });
    expect(String(warn.mock.calls[0]?.[0])).not.toContain('s3cret');
    warn.mockRestore();
  });

  it('reports nothing for a delivery made', async () => {
    const post = jest.fn(async () => undefined);
    const { consume, retryLater } = sender(post);
    await expect(consume({ Records: [sqsRecord(job, 1, 'm2')] })).resolves.toEqual({
      batchItemFailures: [],
    });
    expect(post).toHaveBeenCalledTimes(1);
    expect(retryLater).not.toHaveBeenCalled();
  });
});
