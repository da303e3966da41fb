import { readerSubscriberHash } from '../../../lambda/domain/comment-writer';
import { clientHash } from '../../../lambda/domain/rate-limit';
import { createHandler } from '../../../lambda/handlers/create-comment';
import { createHandler as createThreadHandler } from '../../../lambda/handlers/get-thread';
import { readerVerifierFrom } from '../../../lambda/readers/reader-verifier-from';
import { httpEvent } from '../../support/events';
import { hs256Token, jwksSite, keyToken, readerSettings } from '../../support/reader-issuer';
import { FakeCommentStore, fixedClock, hasher, NOW } from '../fakes';
import { answer, commentHandlerDeps, configurationWith, fieldsOf, PROBLEM_TYPE } from './support';

const ARTICLE = 'members-only';
const site = jwksSite();

function setup(readers: Record<string, unknown> = {}, settings: Record<string, unknown> = {}) {
  const config = configurationWith({
    moderation: { policy: 'none' },
    readers: { ...readerSettings(site.jwksUrl), ...readers },
    ...settings,
  });
  const comments = new FakeCommentStore();
  const deps = commentHandlerDeps(comments, config, {
    verifyReader: readerVerifierFrom({ ...config, clock: fixedClock }),
  });
  return { comments, handler: createHandler(deps), thread: createThreadHandler(deps) };
}

const post = (body: unknown) =>
  httpEvent('POST', `/articles/${ARTICLE}/comments`, {
    pathParameters: { articleId: ARTICLE },
    body,
    sourceIp: '203.0.113.7',
  });

describe('POST /articles/{articleId}/comments with a reader token', () => {
  it('writes as the reader: name and email from the token, given ones ignored', async () => {
    const { handler, comments } = setup();
    const reader = await hs256Token(NOW, {
      claims: { sub: 'user-7', badges: ['subscriber', 'editor'] },
    });
    const result = answer(
      await handler(post({ reader, name: 'Not Ada', email: 'not an email', body: 'Hi.' })),
    );
    expect(result.status).toBe(201);
    expect(result.body.comment).toMatchObject({
      author: {
        name: 'Ada Reader',
        website: null,
        staff: false,
        verified: true,
        badges: ['subscriber'],
      },
    });
    expect(comments.inserted[0]).toMatchObject({
      authorName: 'Ada Reader',
      email: 'ada@reader.example',
      commenterId: 'user-7',
      verified: true,
    });
    expect(JSON.stringify(result.body)).not.toContain('ada@reader.example');
    expect(JSON.stringify(result.body)).not.toContain('user-7');
  });

  it('screens the name the comment is stored with: the token’s, not the one given', async () => {
    const { handler, comments } = setup({}, { rules: { hold: ['reader'], block: [] } });
    const reader = await hs256Token(NOW);
    const result = answer(await handler(post({ reader, name: 'Not Ada', body: 'Hi.' })));
    expect(result.body).toMatchObject({ status: 'pending' });
    expect(comments.inserted[0]).toMatchObject({
      authorName: 'Ada Reader',
      status: 'pending',
      holdReasons: ['rule:reader'],
    });
  });

  it('verifies a token signed with a key from the issuer’s JWKS', async () => {
    const { handler } = setup();
    const result = answer(
      await handler(post({ reader: await keyToken(NOW, site.rsa), body: 'Hi.' })),
    );
    expect(result.status).toBe(201);
    expect(result.body.comment).toMatchObject({ author: { verified: true, badges: [] } });
  });

  it('counts a reader’s rate limits against the reader, not the address', async () => {
    const { handler, comments } = setup();
    await handler(post({ reader: await hs256Token(NOW), body: 'Hi.' }));
    const charged = comments.insertOptions[0]?.charges.map((charge) => charge.clientHash);
    expect(charged).toEqual([hasher.hash('reader', 'user-42'), hasher.hash('reader', 'user-42')]);
    expect(charged).not.toContain(clientHash(hasher, '203.0.113.7'));
  });

  it('keeps a reader’s reply notifications under their own key (sub and address), not the address’s', async () => {
    const { handler, comments } = setup();
    await handler(post({ reader: await hs256Token(NOW), body: 'Tell me.', notify: true }));
    await handler(post({ reader: await hs256Token(NOW), body: 'Do not.' }));
    await handler(
      post({
        reader: await hs256Token(NOW, { claims: { email: undefined } }),
        body: 'No address.',
        notify: true,
      }),
    );
    expect(comments.inserted.map((comment) => comment.subscriberHash)).toEqual([
      readerSubscriberHash(hasher, 'user-42', 'ada@reader.example'),
      undefined,
      undefined,
    ]);
    expect(comments.inserted[0]?.subscriberHash).not.toBe(comments.inserted[0]?.emailHash);
    // A guest with notify is kept under the address's hash: no key of its own.
    await handler(post({ name: 'Bo', email: 'ada@reader.example', body: 'Me too.', notify: true }));
    expect(comments.inserted[3]?.subscriberHash).toBeUndefined();
  });

  it('answers a guest’s comment with verified false and no badges', async () => {
    const { handler } = setup();
    const result = answer(
      await handler(post({ name: 'Bo', email: 'bo@example.com', body: 'Hi.' })),
    );
    expect(result.body.comment).toMatchObject({ author: { verified: false, badges: [] } });
  });

  it('refuses a bad token with 401 naming reader, writing nothing', async () => {
    const { handler, comments } = setup();
    const expired = await hs256Token(NOW, { iat: NOW / 1000 - 7200 });
    const result = answer(await handler(post({ reader: expired, body: 'Hi.' })));
    expect(result.status).toBe(401);
    expect(result.headers['content-type']).toBe(PROBLEM_TYPE);
    expect(fieldsOf(result.body)).toEqual(['reader']);
    expect(comments.inserted).toEqual([]);
  });

  it('answers 503 with Retry-After when the issuer’s JWKS is down, writing nothing', async () => {
    const { handler, comments } = setup();
    site.server.mode = 'down';
    const result = answer(
      await handler(post({ reader: await keyToken(NOW, site.rsa), body: 'Hi.' })),
    );
    expect(result.status).toBe(503);
    expect(result.headers['retry-after']).toBe('5');
    expect(comments.inserted).toEqual([]);
  });

  it('refuses a reader field that is not a token with 400', async () => {
    const { handler } = setup();
    const result = answer(await handler(post({ reader: 42, body: 'Hi.' })));
    expect(result.status).toBe(400);
    expect(fieldsOf(result.body)).toEqual(['reader']);
  });
});

describe('who may comment', () => {
  it('signed-in: a guest gets 401 naming reader, a reader 201', async () => {
    const { handler, comments } = setup({ commenting: 'signed-in' });
    const guest = answer(await handler(post({ name: 'Bo', email: 'bo@example.com', body: 'Hi' })));
    expect(guest.status).toBe(401);
    expect(fieldsOf(guest.body)).toEqual(['reader']);
    expect(comments.inserted).toEqual([]);
    const reader = answer(await handler(post({ reader: await hs256Token(NOW), body: 'Hi' })));
    expect(reader.status).toBe(201);
  });

  it('badge:subscriber: a reader without the badge gets 403, one with it 201', async () => {
    const { handler, comments } = setup({ commenting: 'badge:subscriber' });
    const plain = answer(await handler(post({ reader: await hs256Token(NOW), body: 'Hi' })));
    expect(plain.status).toBe(403);
    expect(plain.body.detail).toBe('Only readers with the subscriber badge may comment here.');
    expect(comments.inserted).toEqual([]);
    const token = await hs256Token(NOW, { claims: { badges: ['subscriber'] } });
    expect(answer(await handler(post({ reader: token, body: 'Hi' }))).status).toBe(201);
  });

  it('the thread says who may comment and where to sign in', async () => {
    const signInUrl = 'https://news.example/login';
    const { thread } = setup({ commenting: 'badge:subscriber', signInUrl });
    const event = httpEvent('GET', `/articles/${ARTICLE}`, {
      pathParameters: { articleId: ARTICLE },
    });
    const result = answer(await thread(event));
    expect(result.body).toMatchObject({ commenting: 'badge:subscriber', signInUrl });
  });

  it('the thread says anyone may comment by default, with no sign-in page', async () => {
    const { thread } = setup({ issuers: [] });
    const event = httpEvent('GET', `/articles/${ARTICLE}`, {
      pathParameters: { articleId: ARTICLE },
    });
    const result = answer(await thread(event));
    expect(result.body.commenting).toBe('anyone');
    expect(result.body).not.toHaveProperty('signInUrl');
  });
});
