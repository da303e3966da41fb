/**
 * The real handlers, document client and SDK HTTP handler against a database that is not there:
 * nothing listening on the port, or a host name that does not resolve. Reads and writes must
 * answer 503 problem+json with Retry-After (the documented answer for a database that cannot
 * answer now), and log only the usual request line: no error, no address, nothing the reader
 * sent. The handlers run in their own Node process (test/support/api-process.ts), as on Lambda.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../bin/local/dynamodb-local';
import type { ApiRequest } from '../support/api';
import type { ApiProcessOutput } from '../support/api-process';
import { TEST_SECRET, testSettings } from '../support/dynamodb';

const ROOT = join(__dirname, '..', '..');
const EMAIL = 'ada.lovelace@example.org';
const VISITOR = 'visitor-0123456789abcdef';
const ARTICLE = 'engines-of-difference';

const REQUESTS: [string, string, string, ApiRequest][] = [
  ['a read', 'GET', `/articles/${ARTICLE}/comments`, {}],
  [
    'a write',
    'POST',
    `/articles/${ARTICLE}/comments`,
    { body: { name: 'Ada', email: EMAIL, body: 'The engine weaves algebraic patterns.' } },
  ],
  [
    'a reaction',
    'PUT',
    `/articles/${ARTICLE}/reactions`,
    { body: { visitorId: VISITOR, reaction: 'happy' } },
  ],
];

async function runAgainst(endpoint: string): Promise<ApiProcessOutput> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'test/support/api-process.ts'],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        TABLE_NAME: 'talkback-nowhere',
        TALKBACK_SECRET: TEST_SECRET,
        TALKBACK_SETTINGS: testSettings(),
        DYNAMODB_ENDPOINT: endpoint,
        TALKBACK_API_REQUESTS: JSON.stringify(REQUESTS.map(([, ...request]) => request)),
      },
    },
  );
  return JSON.parse(stdout) as ApiProcessOutput;
}

describe.each([
  ['nothing listens on the port', async () => `http://127.0.0.1:${await freePort()}`],
  ['the host name does not resolve', async () => 'http://talkback-dynamodb.invalid:8000'],
])('when %s', (_case, endpointOf) => {
  let endpoint: string;
  let output: ApiProcessOutput;
  beforeAll(async () => {
    endpoint = await endpointOf();
    output = await runAgainst(endpoint);
  });
  const internals = () => [
    new URL(endpoint).host,
    'ECONN',
    'ENOTFOUND',
    'EAI_AGAIN',
    'getaddrinfo',
    EMAIL,
    VISITOR,
  ];

  it.each(REQUESTS.map(([what], index) => [what, index] as const))(
    '%s answers 503 problem+json with Retry-After',
    (_what, index) => {
      const response = output.responses[index];
      expect(response?.status).toBe(503);
      expect(response?.headers['retry-after']).toBe('1');
      expect(response?.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(response?.json).toMatchObject({ status: 503, title: 'Service Unavailable' });
      for (const internal of internals()) expect(response?.text).not.toContain(internal);
    },
  );

  it('logs one usual request line per request: no error, no address, nothing sent', () => {
    expect(output.logLines).toHaveLength(REQUESTS.length);
    for (const text of output.logLines) {
      const line = JSON.parse(text) as Record<string, unknown>;
      expect(Object.keys(line).sort()).toEqual(
        ['durationMs', 'level', 'message', 'requestId', 'route', 'status', 'timestamp'].sort(),
      );
      expect(line).toMatchObject({ status: 503, message: 'request' });
    }
    for (const text of [...output.logLines, ...output.metricLines]) {
      for (const internal of internals()) expect(text).not.toContain(internal);
    }
  });
});
