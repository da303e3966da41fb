import { reactionArea } from '../../../lambda/areas';
import { RateLimitedError, ServiceBusyError } from '../../../lambda/domain/errors';
import { createHandler as createComment } from '../../../lambda/handlers/create-comment';
import { createHandler as createDeleteReaction } from '../../../lambda/handlers/delete-reaction';
import { createHandler as createPutReaction } from '../../../lambda/handlers/put-reaction';
import { httpHandler } from '../../../lambda/http/handler';
import { setLogSink } from '../../../lambda/http/log';
import { countMetric, RequestMetrics, setMetricsSink } from '../../../lambda/http/metrics';
import { problems } from '../../../lambda/http/problem';
import { json } from '../../../lambda/http/response';
import { httpEvent } from '../../support/events';
import { FakeCommentStore, FakeReactionStore, fixedClock, hasher } from '../fakes';
import { commentHandlerDeps, configuration, configurationWith } from '../handlers/support';

const ARTICLE = 'russia-north-korea-ties';
const EMAIL = 'Ada.Private@Example.com';
const SOURCE_IP = '203.0.113.77';
const VISITOR = 'visitor-0123456789abcdef';

let lines: string[];
let logLines: string[];

beforeEach(() => {
  lines = [];
  logLines = [];
  setMetricsSink((line) => lines.push(line));
  setLogSink((line) => logLines.push(line));
});

const parsed = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);

describe('RequestMetrics.flush', () => {
  it('writes one EMF line: namespace Talkback, dimension Service, each count as a value', () => {
    const metrics = new RequestMetrics();
    metrics.count('RateLimited');
    metrics.flush({ requestId: 'req-1', route: 'PutReaction' }, 1_795_000_000_000);
    expect(parsed()).toEqual([
      {
        _aws: {
          Timestamp: 1_795_000_000_000,
          CloudWatchMetrics: [
            {
              Namespace: 'Talkback',
              Dimensions: [['Service']],
              Metrics: [{ Name: 'RateLimited', Unit: 'Count' }],
            },
          ],
        },
        Service: 'talkback',
        RateLimited: 1,
        requestId: 'req-1',
        route: 'PutReaction',
      },
    ]);
  });

  it('gives CommentsPosted the Service and the Service-and-Status dimension sets', () => {
    const metrics = new RequestMetrics();
    metrics.commentPosted('spam');
    metrics.count('ValidationFailures');
    metrics.flush({ requestId: 'req-2', route: 'CreateComment' }, 1);
    const [line] = parsed();
    expect(line?._aws).toEqual({
      Timestamp: 1,
      CloudWatchMetrics: [
        {
          Namespace: 'Talkback',
          Dimensions: [['Service']],
          Metrics: [{ Name: 'ValidationFailures', Unit: 'Count' }],
        },
        {
          Namespace: 'Talkback',
          Dimensions: [['Service'], ['Service', 'Status']],
          Metrics: [{ Name: 'CommentsPosted', Unit: 'Count' }],
        },
      ],
    });
    expect(line).toMatchObject({ Service: 'talkback', Status: 'spam', CommentsPosted: 1 });
  });

  it('adds up repeated counts within one request', () => {
    const metrics = new RequestMetrics();
    metrics.count('ReactionsWritten');
    metrics.count('ReactionsWritten');
    metrics.flush({ requestId: 'req-3', route: 'PutReaction' });
    expect(parsed()[0]?.ReactionsWritten).toBe(2);
  });

  it('writes nothing when nothing was counted', () => {
    new RequestMetrics().flush({ requestId: 'req-4', route: 'GetConfig' });
    expect(lines).toEqual([]);
  });
});

describe('httpHandler metrics', () => {
  const failing = (error: unknown) =>
    httpHandler('Test', {}, async () => {
      throw error;
    });
  const event = () => httpEvent('GET', '/test');

  it.each([
    ['RateLimited', 429, new RateLimitedError(30)],
    ['ValidationFailures', 400, problems.invalid('bad', [{ field: 'email', message: 'is bad' }])],
    ['DynamoDbThrottles', 503, new ServiceBusyError('ThrottlingException')],
  ])('counts %s for a %d', async (name, status, error) => {
    const result = await failing(error)(event(), { awsRequestId: 'req-error' });
    expect(result.statusCode).toBe(status);
    expect(parsed()).toEqual([
      expect.objectContaining({ [name]: 1, requestId: 'req-error', route: 'Test' }),
    ]);
  });

  it.each([
    ['a 400 without field errors', problems.invalid('The request body is not valid JSON.', [])],
    ['a 404', problems.notFound()],
    ['a 500', new Error('boom')],
  ])('writes no metrics line for %s', async (_, error) => {
    await failing(error)(event());
    expect(lines).toEqual([]);
    expect(logLines).toHaveLength(1);
  });

  it('flushes what the route counted, next to its one log line', async () => {
    const handler = httpHandler('Test', {}, async () => {
      countMetric('ReactionsWritten');
      return json(200, {});
    });
    await handler(event(), { awsRequestId: 'req-ok' });
    expect(logLines).toHaveLength(1);
    expect(parsed()).toEqual([
      expect.objectContaining({ ReactionsWritten: 1, requestId: 'req-ok' }),
    ]);
  });

  it('keeps the counts of concurrent requests apart', async () => {
    const handler = httpHandler('Test', {}, async (request) => {
      const times = Number(request.queryStringParameters?.times);
      for (let i = 0; i < times; i++) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        countMetric('ReactionsWritten');
      }
      return json(200, {});
    });
    await Promise.all(
      [1, 2, 3].map((times) =>
        handler(httpEvent('GET', '/test', { query: { times: String(times) } }), {
          awsRequestId: `req-${times}`,
        }),
      ),
    );
    const byRequest = Object.fromEntries(parsed().map((l) => [l.requestId, l.ReactionsWritten]));
    expect(byRequest).toEqual({ 'req-1': 1, 'req-2': 2, 'req-3': 3 });
  });

  it('counts nothing outside a request, not even into the next request', async () => {
    countMetric('ReactionsWritten');
    await httpHandler('Test', {}, async () => json(200, {}))(event(), { awsRequestId: 'req-next' });
    expect(lines).toEqual([]);
  });
});

describe('CommentsPosted from POST /articles/{articleId}/comments', () => {
  function post(body: Record<string, unknown>) {
    return httpEvent('POST', `/articles/${ARTICLE}/comments`, {
      pathParameters: { articleId: ARTICLE },
      body: { name: 'Ada Lovelace', email: EMAIL, body: 'Hello there.', ...body },
      sourceIp: SOURCE_IP,
    });
  }
  function handler(policy: string, comments = new FakeCommentStore()) {
    const config = configurationWith({ moderation: { policy } });
    return createComment(commentHandlerDeps(comments, config));
  }

  it.each([
    ['published', 'none', {}],
    ['pending', 'all', {}],
    // The sender is told "pending"; the metric tells the operator what it really was.
    ['spam', 'none', { homepage: 'http://spam.example' }],
  ])('counts a %s comment by its stored status', async (status, policy, extra) => {
    const result = await handler(policy)(post(extra));
    expect(result.statusCode).toBe(201);
    expect(parsed()).toEqual([expect.objectContaining({ CommentsPosted: 1, Status: status })]);
  });

  it('counts a first-time author as the pending comment the store kept', async () => {
    await handler('first-time')(post({}));
    expect(parsed()).toEqual([expect.objectContaining({ CommentsPosted: 1, Status: 'pending' })]);
  });

  it('counts nothing posted when the store fails', async () => {
    const comments = new FakeCommentStore();
    comments.insertError = new ServiceBusyError('ThrottlingException');
    await handler('none', comments)(post({}));
    const [line] = parsed();
    expect(line).toMatchObject({ DynamoDbThrottles: 1 });
    expect(line).not.toHaveProperty('CommentsPosted');
  });

  it('never carries the name, email, body or address', async () => {
    await handler('none')(post({ website: 'https://ada.example' }));
    const text = lines.join('\n');
    expect(text).toContain('CommentsPosted');
    for (const personal of [
      EMAIL,
      EMAIL.toLowerCase(),
      'Ada Lovelace',
      'Hello there.',
      SOURCE_IP,
      'ada.example',
    ]) {
      expect(text).not.toContain(personal);
    }
  });
});

describe('ReactionsWritten from the reaction routes', () => {
  const pathParameters = { articleId: ARTICLE };
  const deps = (store: FakeReactionStore) => ({
    ...configuration,
    areas: { reactions: reactionArea({ ...configuration, store, hasher, clock: fixedClock }) },
  });
  const put = (reaction: string) =>
    httpEvent('PUT', `/articles/${ARTICLE}/reactions`, {
      pathParameters,
      body: { visitorId: VISITOR, reaction },
    });

  it('counts a vote change that was written', async () => {
    const store = new FakeReactionStore();
    await createPutReaction(deps(store))(put('happy'));
    expect(store.changes).toHaveLength(1);
    expect(parsed()).toEqual([expect.objectContaining({ ReactionsWritten: 1 })]);
  });

  it('counts nothing for a repeat of the same vote, which writes nothing', async () => {
    const store = new FakeReactionStore({ counts: { happy: 1 }, mine: 'happy' });
    await createPutReaction(deps(store))(put('happy'));
    expect(store.changes).toHaveLength(0);
    expect(lines).toEqual([]);
  });

  it('counts a withdrawn vote', async () => {
    const store = new FakeReactionStore({ counts: { happy: 1 }, mine: 'happy' });
    await createDeleteReaction(deps(store))(
      httpEvent('DELETE', `/articles/${ARTICLE}/reactions`, {
        pathParameters,
        query: { visitorId: VISITOR },
      }),
    );
    expect(parsed()).toEqual([expect.objectContaining({ ReactionsWritten: 1 })]);
  });

  it('counts a refused change as RateLimited, not as written', async () => {
    const store = new FakeReactionStore();
    store.failures = [new RateLimitedError(20)];
    const result = await createPutReaction(deps(store))(put('happy'));
    expect(result.statusCode).toBe(429);
    const [line] = parsed();
    expect(line).toMatchObject({ RateLimited: 1 });
    expect(line).not.toHaveProperty('ReactionsWritten');
    expect(JSON.stringify(line)).not.toContain(VISITOR);
  });
});
