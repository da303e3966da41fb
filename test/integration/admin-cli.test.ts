/**
 * The operator CLI (`npm run admin`) against the real local server, and the SigV4 signing it
 * uses against a deployed API (checked on the prepared request; nothing is sent to AWS).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { prepareRequest, regionOf } from '../../bin/admin/client';
import { freePort } from '../../bin/local/dynamodb-local';
import { run } from '../../bin/talkback-admin';
import { type Created, readJson } from '../support/contract';
import { testSettings } from '../support/dynamodb';
import { type LocalProcess, startLocalProcess } from '../support/local-process';

const ROOT = join(__dirname, '..', '..');

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
  const scratch = mkdtempSync(join(tmpdir(), 'talkback-admin-'));
  /** A TALKBACK_DATA folder holding this admin token. */
  const dataDir = (name: string, token: string) => {
    const dir = join(scratch, name);
    mkdirSync(dir);
    writeFileSync(join(dir, 'admin-token'), `${token}\n`);
    return dir;
  };
  afterAll(async () => {
    await local?.stop();
    rmSync(scratch, { recursive: true, force: true });
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

  it('marks a published comment as spam on a ground, refusing one the deployment does not list', async () => {
    const removed = await postComment('Published, then removed');
    expect(await admin('approve', removed.comment.id)).toBe(0);
    printed = [];
    expect(await admin('spam', removed.comment.id, '--ground', 'rudeness')).toBe(1);
    expect(printed.join('\n')).toContain('ground');
    expect(await admin('spam', removed.comment.id, '--ground', 'abuse')).toBe(0);
    expect(printed.at(-1)).toMatch(/^Marked as spam: /);
  });

  it("prints the month's transparency counts as JSON and CSV, the removal on its ground among them", async () => {
    const today = new Date().toISOString().slice(0, 10);
    expect(await admin('transparency', '--from', today, '--to', today)).toBe(0);
    const report = JSON.parse(printed.at(-1) ?? '{}') as {
      actionsByGround: Record<string, number>;
    };
    expect(report.actionsByGround.abuse).toBeGreaterThanOrEqual(1);
    expect(await admin('transparency', '--from', today, '--to', today, '--format', 'csv')).toBe(0);
    const csv = (printed.at(-1) ?? '').split('\n');
    expect(csv[0]).toBe('section,key,count');
    expect(csv).toContain(`actions,abuse,${report.actionsByGround.abuse}`);
  });

  it('erases an author and reports how many comments it changed', async () => {
    expect(await admin('erase', 'ADA.CLI@example.com')).toBe(0);
    expect(printed.at(-1)).toMatch(/^Erased the author details of [1-9]\d* comment\(s\)\.$/);
    printed = [];
    await admin('pending', '--status', 'published');
    expect(printed.join('\n')).not.toContain('ada.cli@example.com');
    expect(printed.join('\n')).toContain('Deleted user');
  });

  it('features a published comment, which the thread then lists, and unfeatures it', async () => {
    const pick = await postComment('An Editor’s Pick in the making');
    expect(await admin('approve', pick.comment.id)).toBe(0);
    expect(await admin('feature', pick.comment.id)).toBe(0);
    expect(printed.at(-1)).toMatch(/^Featured: /);
    const thread = async () =>
      (await (await fetch(`${local.url}/articles/cli`)).json()) as {
        featured: { id: string; featured: boolean }[];
      };
    expect((await thread()).featured).toEqual([
      expect.objectContaining({ id: pick.comment.id, featured: true }),
    ]);
    expect(await admin('unfeature', pick.comment.id)).toBe(0);
    expect(printed.at(-1)).toMatch(/^No longer featured: /);
    expect((await thread()).featured).toEqual([]);
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
    expect(printed).toHaveLength(1);
    expect(printed[0]).toMatch(
      /^Failed: 401: .* refused the admin token from TALKBACK_ADMIN_TOKEN; set TALKBACK_ADMIN_TOKEN /,
    );
    expect(printed[0]).not.toContain('not-the-token');
  });

  it('calls http://127.0.0.1:$PORT/ when neither --api nor TALKBACK_API_URL is given', async () => {
    const env = { PORT: new URL(local.url).port, TALKBACK_ADMIN_TOKEN: local.adminToken };
    expect(await run(['pending'], env, (text) => printed.push(text))).toBe(0);
  });

  it.each([
    ['an absolute', (dir: string) => dir],
    ['a relative', (dir: string) => relative(ROOT, dir)],
  ])('reads the admin token file under %s TALKBACK_DATA', async (kind, dataPath) => {
    const dir = dataDir(kind.replace(' ', '-'), local.adminToken);
    const env = { TALKBACK_API_URL: local.url, TALKBACK_DATA: dataPath(dir) };
    expect(await run(['pending'], env, (text) => printed.push(text))).toBe(0);
  });

  it('names a stale token file the server refuses, without printing the token', async () => {
    const dir = dataDir('stale', 'stale-token');
    const env = { TALKBACK_API_URL: local.url, TALKBACK_DATA: dir };
    expect(await run(['pending'], env, (text) => printed.push(text))).toBe(1);
    expect(printed).toEqual([
      expect.stringContaining(
        `refused the admin token from ${join(dir, 'admin-token')}; set TALKBACK_ADMIN_TOKEN`,
      ),
    ]);
    expect(printed[0]).not.toContain('stale-token');
  });

  it('exits non-zero for an unknown comment id', async () => {
    expect(await admin('approve', '01M8CYWZ34KHFZS9XHGHJE5FAC')).toBe(1);
    expect(printed.join('\n')).toMatch(/^Failed: 404/);
  });
});

describe('npm run admin without a server', () => {
  it.each(['--help', '-h', 'help'])('prints the usage for %s and exits 0', async (arg) => {
    const printed: string[] = [];
    expect(await run([arg], {}, (text) => printed.push(text))).toBe(0);
    expect(printed).toEqual([expect.stringMatching(/^Usage: npm run admin -- <command>/)]);
  });

  it('says in one line which URL it could not reach and how to point elsewhere, exit 1', async () => {
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(port),
      TALKBACK_ADMIN_TOKEN: 'secret-token',
    };
    delete env.TALKBACK_API_URL;
    const failed = await promisify(execFile)(
      process.execPath,
      [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'bin/talkback-admin.ts', 'pending'],
      { cwd: ROOT, env },
    ).catch((error: { code: number; stdout: string; stderr: string }) => error);
    expect(failed).toMatchObject({ code: 1, stdout: '' });
    expect(failed.stderr).toMatch(
      new RegExp(
        `^Cannot reach the Talkback API at http://127\\.0\\.0\\.1:${port}/ \\(ECONNREFUSED\\)\\..*--api URL or TALKBACK_API_URL\\.\n$`,
      ),
    );
    expect(failed.stderr).not.toContain('secret-token');
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
