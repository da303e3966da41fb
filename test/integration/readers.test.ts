/**
 * Signed-in readers against DynamoDB Local: a verified comment is stored and listed with its
 * marks, a refused token writes nothing, and nothing from a token (the token itself, sub, name,
 * email) appears in any log or metrics line, on the success or the error paths.
 */
import { setMetricsSink } from '../../lambda/http/metrics';
import { type Api, createApi } from '../support/api';
import { createTestTable, type TestTable, testSettings } from '../support/dynamodb';
import { captureLogs } from '../support/logs';
import {
  hs256Token,
  KeySetServer,
  keyToken,
  readerSettings,
  type SigningKey,
  signingKey,
} from '../support/reader-issuer';

const ARTICLE = 'signed-in-readers';
const SUB = 'newsroom-user-8f2c41';
const NAME = 'Katherine Coleman Johnson';
const EMAIL = 'k.johnson+talkback@langley.example';

const server = new KeySetServer();
let table: TestTable;
let api: Api;
/** A new runtime on the same table: its JWKS cache starts empty. */
let freshApi: () => Api;
let key: SigningKey;
let logLines: string[];
const metricLines: string[] = [];
const tokens: string[] = [];

const claims = { sub: SUB, name: NAME, email: EMAIL, badges: ['subscriber', 'staff-only'] };

async function post(body: Record<string, unknown>) {
  if (typeof body.reader === 'string') tokens.push(body.reader);
  return api('POST', `/articles/${ARTICLE}/comments`, { body, sourceIp: '198.51.100.9' });
}

async function articleItems(): Promise<Record<string, unknown>[]> {
  return (await table.scanAll()).filter(
    (item) => item.PK === `ARTICLE#${ARTICLE}` && item.entity === 'Comment',
  );
}

beforeAll(async () => {
  logLines = captureLogs();
  setMetricsSink((line) => metricLines.push(line));
  const jwksUrl = await server.start();
  key = await signingKey('ES256');
  server.keys = [key.publicJwk];
  table = await createTestTable('readers');
  const env = {
    TALKBACK_SETTINGS: testSettings({
      moderation: { policy: 'none' },
      readers: readerSettings(jwksUrl),
    }),
  };
  freshApi = () => createApi(table.runtime(env));
  api = freshApi();
});
afterAll(async () => {
  await server.stop();
  await table.drop();
});

describe('signed-in readers on DynamoDB Local', () => {
  it('stores a verified comment and lists it with its marks, without sub or email', async () => {
    const created = await post({ reader: await keyToken(Date.now(), key, { claims }), body: 'Hi' });
    expect(created.status).toBe(201);
    const listed = await api('GET', `/articles/${ARTICLE}/comments`);
    expect(listed.json.comments).toEqual([
      expect.objectContaining({
        author: { name: NAME, website: null, staff: false, verified: true, badges: ['subscriber'] },
      }),
    ]);
    expect(listed.text).not.toContain(SUB);
    expect(listed.text).not.toContain(EMAIL);
    const [item] = await articleItems();
    expect(item).toMatchObject({ commenterId: SUB, email: EMAIL, verified: true });
  });

  it('writes nothing for a refused token, or while the JWKS is down', async () => {
    const before = (await articleItems()).length;
    const expired = await hs256Token(Date.now(), { claims, iat: Date.now() / 1000 - 90_000 });
    expect((await post({ reader: expired, body: 'Late' })).status).toBe(401);
    server.mode = 'down';
    api = freshApi();
    expect(
      (await post({ reader: await keyToken(Date.now(), key, { claims }), body: 'Down' })).status,
    ).toBe(503);
    server.mode = 'up';
    expect(await articleItems()).toHaveLength(before);
  });

  it.each([
    ['the sub', SUB],
    ['the name', NAME],
    ['the email', EMAIL],
    ['the email’s local part', 'k.johnson+talkback'],
  ])('never logs %s', (_, value) => {
    const written = [...logLines, ...metricLines].join('\n').toLowerCase();
    expect(logLines.length).toBeGreaterThan(2);
    expect(written).not.toContain(value.toLowerCase());
  });

  it('never logs a token, nor any part of one', () => {
    const written = [...logLines, ...metricLines].join('\n');
    expect(tokens.length).toBeGreaterThan(2);
    for (const token of tokens) {
      for (const part of token.split('.')) expect(written).not.toContain(part);
    }
  });
});
