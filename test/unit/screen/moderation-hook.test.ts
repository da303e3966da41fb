import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PhraseMatcher } from '../../../lambda/domain/house-rules';
import { type ContentScreen, type Screening, screenComment } from '../../../lambda/domain/screen';
import { verifySignature } from '../../../lambda/domain/webhook-signature';
import { moderationHookScreen } from '../../../lambda/screen/moderation-hook';
import { endpointSecret } from '../../../lambda/webhooks/endpoint-secret';

const SECRET = 'hook-secret-0123456789-0123456789-ab';
const NOW = Date.UTC(2026, 11, 7, 12, 0, 0);

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

/** A hook on 127.0.0.1 that answers as `answer` says and records each request. */
class LocalHook {
  readonly received: Received[] = [];
  answer: (response: ServerResponse) => void = (response) =>
    reply(response, 200, '{"action":"publish"}');
  private server: Server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      this.received.push({ headers: request.headers, body });
      this.answer(response);
    });
  });
  url = '';

  async start(): Promise<void> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
  }
}

function reply(response: ServerResponse, status: number, body: string, headers = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(body);
}

const hook = new LocalHook();
beforeAll(() => hook.start());
afterAll(() => hook.stop());
beforeEach(() => {
  hook.received.length = 0;
  hook.answer = (response) => reply(response, 200, '{"action":"publish"}');
});

function screening(
  overrides: { includeEmail?: boolean; secret?: () => Promise<string> } & Partial<Screening> = {},
): Screening {
  const { includeEmail = false, secret = async () => SECRET, ...rest } = overrides;
  return {
    rules: async () => ({
      phrases: new PhraseMatcher({ hold: ['idiot'], block: ['cheap pills'] }),
      emailDomains: { disposable: 'allow', hold: [], block: [] },
    }),
    isDisposable: async () => false,
    hook: moderationHookScreen({ url: hook.url, secret, includeEmail }, () => NOW),
    timeoutMs: 1000,
    ...rest,
  };
}

const input = {
  articleId: 'a-1',
  commentId: '01KBXYZ',
  parentId: null,
  authorName: 'Ada',
  body: 'A fine comment.',
  email: 'ada@news.example',
};

describe('the moderation hook', () => {
  it('is sent the comment as JSON, signed over the time and the raw body, without the email', async () => {
    await screenComment(screening(), 'published', input);
    expect(hook.received).toHaveLength(1);
    const [request] = hook.received as [Received];
    expect(request.headers['content-type']).toBe('application/json');
    expect(
      verifySignature(request.headers['talkback-signature'] as string, request.body, SECRET, NOW),
    ).toBe(true);
    expect(JSON.parse(request.body)).toEqual({
      type: 'comment.screen',
      sentAt: new Date(NOW).toISOString(),
      comment: {
        id: '01KBXYZ',
        articleId: 'a-1',
        parentId: null,
        author: { name: 'Ada' },
        body: 'A fine comment.',
        edit: false,
      },
    });
    expect(request.body).not.toContain('ada@news.example');
  });

  it('is sent the email where the deployment opted in', async () => {
    await screenComment(screening({ includeEmail: true }), 'published', input);
    expect(JSON.parse(hook.received[0]?.body ?? '{}').comment.author).toEqual({
      name: 'Ada',
      email: 'ada@news.example',
    });
  });

  it.each([
    ['publish', { disposition: 'published' }],
    ['hold', { disposition: 'pending', holdReasons: ['hook'] }],
    ['spam', { disposition: 'spam', holdReasons: ['hook'] }],
  ])('answering %s decides as the hook says (reason hook)', async (action, expected) => {
    hook.answer = (response) => reply(response, 200, JSON.stringify({ action }));
    await expect(screenComment(screening(), 'published', input)).resolves.toEqual(expected);
  });

  it.each([
    ['a 500', (response: ServerResponse) => reply(response, 500, '{"action":"publish"}')],
    ['a body that is not JSON', (response: ServerResponse) => reply(response, 200, 'ok')],
    [
      'an unknown action',
      (response: ServerResponse) => reply(response, 200, '{"action":"approve"}'),
    ],
    [
      'a redirect',
      (response: ServerResponse) => reply(response, 302, '', { location: '/elsewhere' }),
    ],
  ])('answering %s holds the comment as screen:unavailable', async (_, answer) => {
    hook.answer = answer;
    await expect(screenComment(screening(), 'published', input)).resolves.toEqual({
      disposition: 'pending',
      holdReasons: ['screen:unavailable'],
    });
    expect(hook.received).toHaveLength(1);
  });

  it('holds as screen:unavailable when it does not answer in time, and cancels the request', async () => {
    let closed: Promise<unknown> = Promise.resolve();
    hook.answer = (response) => {
      closed = once(response, 'close');
    };
    await expect(screenComment(screening({ timeoutMs: 100 }), 'published', input)).resolves.toEqual(
      {
        disposition: 'pending',
        holdReasons: ['screen:unavailable'],
      },
    );
    await closed;
  });

  it('holds as screen:unavailable when nothing listens at its URL', async () => {
    const nobody = screening({
      hook: moderationHookScreen(
        { url: 'http://127.0.0.1:9/hook', secret: async () => SECRET, includeEmail: false },
        () => NOW,
      ),
    });
    await expect(screenComment(nobody, 'published', input)).resolves.toEqual({
      disposition: 'pending',
      holdReasons: ['screen:unavailable'],
    });
  });

  it('holds as screen:unavailable when its secret cannot be fetched, and fetches it again next time', async () => {
    const read = jest
      .fn<Promise<string>, []>()
      .mockRejectedValueOnce(new Error('throttled'))
      .mockResolvedValue(SECRET);
    const secret = endpointSecret(
      { secretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:h' },
      () => ({ read }),
    );
    const fetching = screening({ secret });
    await expect(screenComment(fetching, 'published', input)).resolves.toEqual({
      disposition: 'pending',
      holdReasons: ['screen:unavailable'],
    });
    expect(hook.received).toHaveLength(0);
    await expect(screenComment(fetching, 'published', input)).resolves.toEqual({
      disposition: 'published',
    });
    await screenComment(fetching, 'published', input);
    expect(read).toHaveBeenCalledTimes(2);
  });

  it('sees a comment the house rules held, and may make it spam', async () => {
    hook.answer = (response) => reply(response, 200, '{"action":"spam"}');
    await expect(
      screenComment(screening(), 'published', { ...input, body: 'You idiot.' }),
    ).resolves.toEqual({ disposition: 'spam', holdReasons: ['hook'] });
  });

  it('keeps the house rules’ hold when it answers publish', async () => {
    await expect(
      screenComment(screening(), 'published', { ...input, body: 'You idiot.' }),
    ).resolves.toEqual({ disposition: 'pending', holdReasons: ['rule:idiot'] });
  });

  it('is not asked about a comment the house rules made spam', async () => {
    await screenComment(screening(), 'published', { ...input, body: 'cheap pills' });
    expect(hook.received).toHaveLength(0);
  });

  it('is asked with the content screen, whose labels and scores join its hold', async () => {
    hook.answer = (response) => reply(response, 200, '{"action":"hold"}');
    const content: ContentScreen = async () => ({
      action: 'hold',
      reasons: ['screen:insults'],
      scores: { insults: 'HIGH' },
    });
    await expect(screenComment(screening({ content }), 'published', input)).resolves.toEqual({
      disposition: 'pending',
      holdReasons: ['screen:insults', 'hook'],
      screenScores: { insults: 'HIGH' },
    });
  });

  it('marks an edit as one', async () => {
    await screenComment(screening(), 'published', { ...input, edit: true, email: null });
    expect(JSON.parse(hook.received[0]?.body ?? '{}').comment.edit).toBe(true);
  });
});
