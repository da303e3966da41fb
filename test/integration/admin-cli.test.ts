/**
 * The operator CLI (`npm run admin`) against the real local server, and the SigV4 signing it
 * uses against a deployed API (checked on the prepared request; nothing is sent to AWS).
 */
import { prepareRequest, regionOf } from '../../bin/admin/client';
import { run } from '../../bin/talkback-admin';
import { type Created, readJson } from '../support/contract';
import { testSettings } from '../support/dynamodb';
import { type LocalProcess, startLocalProcess } from '../support/local-process';

describe('npm run admin against the local server', () => {
  let local: LocalProcess;
  let printed: string[];
  const admin = (...args: string[]) =>
    run(args, { TALKBACK_API_URL: local.url, TALKBACK_ADMIN_TOKEN: local.adminToken }, (text) => {
      printed.push(text);
    });

  beforeAll(async () => {
    // Held for moderation, as a first-time author is by default.
    local = await startLocalProcess({
      env: { TALKBACK_SETTINGS: testSettings({ moderation: { policy: 'all' } }) },
    });
  });
  afterAll(async () => {
    await local?.stop();
  });
  beforeEach(() => {
    printed = [];
  });

  async function postComment(body: string): Promise<Created> {
    const response = await fetch(`${local.url}/articles/cli/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Ada', email: 'ada.cli@example.com', body }),
    });
    expect(response.status).toBe(201);
    return readJson<Created>(response);
  }

  const publicList = async () =>
    (await (await fetch(`${local.url}/articles/cli/comments`)).json()) as { commentCount: number };

  it('lists pending comments with their author email, then approves one', async () => {
    const created = await postComment('Waiting for a moderator');
    expect(created.status).toBe('pending');
    expect(await admin('pending')).toBe(0);
    expect(printed.join('\n')).toContain(created.comment.id);
    expect(printed.join('\n')).toContain('ada.cli@example.com');

    expect(await admin('approve', created.comment.id)).toBe(0);
    expect(printed.at(-1)).toMatch(/^Published: /);
    expect((await publicList()).commentCount).toBe(1);
  });

  it('marks a comment as spam and deletes another', async () => {
    const spam = await postComment('Buy things');
    const unwanted = await postComment('Off topic');
    expect(await admin('spam', spam.comment.id)).toBe(0);
    expect(await admin('delete', unwanted.comment.id)).toBe(0);
    printed = [];
    expect(await admin('pending', '--status', 'spam')).toBe(0);
    expect(printed.join('\n')).toContain(spam.comment.id);
    expect(printed.join('\n')).not.toContain(unwanted.comment.id);
  });

  it('erases an author and reports how many comments it changed', async () => {
    expect(await admin('erase', 'ADA.CLI@example.com')).toBe(0);
    expect(printed.at(-1)).toMatch(/^Erased the author details of [1-9]\d* comment\(s\)\.$/);
    printed = [];
    await admin('pending', '--status', 'published');
    expect(printed.join('\n')).not.toContain('ada.cli@example.com');
    expect(printed.join('\n')).toContain('Deleted user');
  });

  it('exits non-zero with the reason when the server refuses', async () => {
    const code = await run(
      ['pending'],
      { TALKBACK_API_URL: local.url, TALKBACK_ADMIN_TOKEN: 'not-the-token' },
      (text) => {
        printed.push(text);
      },
    );
    expect(code).toBe(1);
    expect(printed.join('\n')).toMatch(/^Failed: 401/);
  });

  it('exits non-zero for an unknown comment id', async () => {
    expect(await admin('approve', '01M8CYWZ34KHFZS9XHGHJE5FAC')).toBe(1);
    expect(printed.join('\n')).toMatch(/^Failed: 404/);
  });
});

describe('SigV4 signing for a deployed API', () => {
  const api = 'https://abc123.execute-api.eu-west-1.amazonaws.com/';
  const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret-example' };

  it('reads the region from an execute-api URL', () => {
    expect(regionOf(api)).toBe('eu-west-1');
    expect(() => regionOf('https://comments.example.com/')).toThrow(/AWS_REGION/);
    expect(regionOf('https://comments.example.com/', 'us-east-2')).toBe('us-east-2');
  });

  it('signs for execute-api in the API region, covering the body', async () => {
    const auth = { kind: 'sigv4', region: 'eu-west-1', credentials } as const;
    const { url, init } = await prepareRequest(api, auth, 'POST', '/admin/erasures', {
      email: 'a@example.com',
    });
    const headers = init.headers as Record<string, string>;
    expect(url).toBe(`${api}admin/erasures`);
    expect(headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/execute-api\/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, Signature=[0-9a-f]{64}$/,
    );
    expect(headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
    const other = await prepareRequest(api, auth, 'POST', '/admin/erasures', {
      email: 'b@example.com',
    });
    expect((other.init.headers as Record<string, string>).authorization).not.toBe(
      headers.authorization,
    );
  });
});
