import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { ulid } from '../../lambda/domain/ids';
import { type Api, type ApiRequest, type ApiResponse, createApi } from '../support/api';
import { createTestTable, type TestTable } from '../support/dynamodb';
import { captureLogs } from '../support/logs';
import { FUTURE_HOUR, ManualClock } from './flows';

/** How a generated comment is sent: as is, or broken in a way that makes an error answer. */
const MUTATIONS = [
  'none',
  'none',
  'none',
  'missing-name',
  'javascript-website',
  'control-character-body',
  'unknown-parent',
  'broken-json',
  'text-plain',
  'too-large',
] as const;
type Mutation = (typeof MUTATIONS)[number];

interface GeneratedComment {
  name: string;
  email: string;
  website: string | null;
  body: string;
  /** Reply to the n-th comment created so far in this run, if there is one. */
  replyTo: number | null;
  mutation: Mutation;
  /** What the author then does with the edit token, if the comment was created. */
  own: Own;
  /** The text of an edit. */
  edit: string;
}

const OWN = ['keep', 'edit', 'delete', 'edit-then-delete'] as const;
type Own = (typeof OWN)[number];

/** Text without '@', so no generated name or body can itself spell out an email. */
const text = (maxLength: number) =>
  fc
    .string({ unit: 'grapheme', minLength: 1, maxLength })
    .map((value) => value.replaceAll('@', '(at)'));

const mixedCase = (value: string, pattern: number) =>
  [...value].map((char, n) => ((pattern >> (n % 16)) & 1 ? char.toUpperCase() : char)).join('');

const emailArbitrary = fc
  .tuple(fc.emailAddress(), fc.integer({ min: 0, max: 0xffff }))
  .map(([email, pattern]) => mixedCase(email, pattern));

const commentArbitrary: fc.Arbitrary<GeneratedComment> = fc.record({
  name: text(40),
  email: emailArbitrary,
  website: fc.option(fc.webUrl(), { nil: null }),
  body: text(300),
  replyTo: fc.option(fc.nat({ max: 5 }), { nil: null }),
  mutation: fc.constantFrom(...MUTATIONS),
  own: fc.constantFrom(...OWN),
  // Always a valid body: prefixed (never blank) and without control characters.
  edit: text(300).map((value) => `Edited: ${value.replace(/\p{Cc}/gu, '')}`),
});

const visitorArbitrary = fc.stringMatching(/^[A-Za-z0-9_-]{16,64}$/);

/** The deployment's keyed hash of a normalised email, as the table stores it (set in beforeAll). */
let keyedEmailHash: (email: string) => string;

/**
 * Every form of an email a leak could take: as sent, lowercased, its common digests, and the
 * keyed hash the table keeps for erasure.
 */
function forbiddenForms(email: string): { anyCase: string[]; exact: string[] } {
  const anyCase = [email.toLowerCase()];
  const exact: string[] = [keyedEmailHash(email)];
  for (const form of new Set([email, email.toLowerCase(), email.trim().toLowerCase()])) {
    for (const algorithm of ['md5', 'sha1', 'sha256']) {
      const digest = createHash(algorithm).update(form).digest();
      anyCase.push(digest.toString('hex'));
      exact.push(digest.toString('base64').replace(/=+$/, ''), digest.toString('base64url'));
    }
  }
  return { anyCase, exact };
}

function leaks(haystack: string, secrets: string[]): string[] {
  const lower = haystack.toLowerCase();
  const found: string[] = [];
  for (const email of secrets) {
    const { anyCase, exact } = forbiddenForms(email);
    for (const needle of anyCase) if (lower.includes(needle)) found.push(`${email}: ${needle}`);
    for (const needle of exact) if (haystack.includes(needle)) found.push(`${email}: ${needle}`);
  }
  return found;
}

function exposed(response: ApiResponse): string {
  return `${JSON.stringify(response.headers)}\n${response.text}`;
}

/** Jest's default of 5 s is too short for several hundred requests against a local engine. */
const PROPERTY_TIMEOUT_MS = 120_000;

const MINUTE = 60_000;

let table: TestTable;
let api: Api;
let logLines: string[];
/** Moved past the edit window once per run, so every run can meet a closed window. */
const clock = new ManualClock(FUTURE_HOUR);
const tally = {
  created: 0,
  replies: 0,
  edited: 0,
  deleted: 0,
  errors: new Set<number>(),
  cursorsFollowed: 0,
};

beforeAll(async () => {
  logLines = captureLogs();
  table = await createTestTable('privacy');
  const runtime = table.runtime({}, { clock: clock.read });
  keyedEmailHash = (email) => runtime.hasher.hash('email', email.trim().toLowerCase());
  api = createApi(runtime);
});
afterAll(async () => table.drop());

function postRequest(comment: GeneratedComment, parentId: string | null): ApiRequest {
  const body: Record<string, unknown> = {
    name: comment.name,
    email: comment.email,
    body: comment.body,
    ...(comment.website === null ? {} : { website: comment.website }),
    ...(parentId === null ? {} : { parentId }),
  };
  switch (comment.mutation) {
    case 'missing-name':
      delete body.name;
      return { body };
    case 'javascript-website':
      return { body: { ...body, website: 'javascript:alert(1)' } };
    case 'control-character-body':
      return { body: { ...body, body: `${comment.body}\u0000` } };
    case 'unknown-parent':
      return { body: { ...body, parentId: ulid(Date.parse('2020-01-01T00:00:00Z')) } };
    case 'broken-json':
      return { body: JSON.stringify(body).slice(0, -1) };
    case 'text-plain':
      return { body, headers: { 'content-type': 'text/plain' } };
    case 'too-large':
      return { body: { ...body, padding: 'p'.repeat(17 * 1024) } };
    default:
      return { body };
  }
}

/** Reads a whole list through its cursors, so every cursor this list issues is exercised. */
async function readList(articleId: string, order: string): Promise<ApiResponse[]> {
  const responses: ApiResponse[] = [];
  let cursor: string | undefined;
  do {
    const query: Record<string, string> = { order, limit: '1', ...(cursor ? { cursor } : {}) };
    const response = await api('GET', `/articles/${articleId}/comments`, { query });
    expect(response.status).toBe(200);
    responses.push(response);
    cursor = (response.json.nextCursor as string | null) ?? undefined;
    if (cursor) tally.cursorsFollowed += 1;
  } while (cursor);
  return responses;
}

/**
 * The own-comment routes' refusals, each given the email where a client might put it: no
 * token, the email as the token, another article's token, and (after moving the clock past
 * the edit window) the right token too late.
 */
async function ownRouteErrors(
  owned: { id: string; token: string; own: Own }[],
  email: string,
): Promise<ApiResponse[]> {
  const anchor = ulid(Date.parse('2021-01-01T00:00:00Z'));
  const kept = owned.find((comment) => comment.own === 'keep' || comment.own === 'edit');
  const id = kept?.id ?? anchor;
  const responses = [
    await api('PATCH', `/comments/${id}`, { body: { body: 'no token', email } }),
    await api('DELETE', `/comments/${id}`, { headers: { authorization: `Bearer ${email}` } }),
    await api('PATCH', `/comments/${encodeURIComponent(email)}`, {
      body: { body: 'x' },
      headers: { authorization: `Bearer ${email}` },
    }),
    await api('PATCH', `/comments/${id}`, {
      body: { body: 'foreign token', email },
      headers: {
        authorization: `Bearer ${Buffer.from('privacy-1').toString('base64url')}.${'x'.repeat(32)}`,
      },
    }),
  ];
  clock.advance(16 * MINUTE);
  if (kept) {
    const late = await api('PATCH', `/comments/${kept.id}`, {
      body: { body: 'too late', email },
      headers: { authorization: `Bearer ${kept.token}` },
    });
    expect(late.status).toBe(403);
    responses.push(late);
  }
  return responses;
}

describe('privacy of the email across every public route', () => {
  let run = 0;

  it(
    'never answers or logs an email, its lowercase form or its digests, nor the visitorId',
    async () => {
      const everyEmail: string[] = [];
      await fc.assert(
        fc.asyncProperty(
          fc.array(commentArbitrary, { minLength: 1, maxLength: 5 }),
          visitorArbitrary,
          async (comments, visitorId) => {
            run += 1;
            const articleId = `privacy-${run}`;
            const commentsPath = `/articles/${articleId}/comments`;
            const reactionsPath = `/articles/${articleId}/reactions`;
            const emails = comments.map((comment) => comment.email);
            everyEmail.push(...emails);
            const firstLog = logLines.length;
            const responses: ApiResponse[] = [];
            const created: string[] = [];
            const owned: { id: string; token: string; own: Own; edit: string }[] = [];

            for (const comment of comments) {
              const parentId =
                comment.replyTo === null
                  ? null
                  : (created[comment.replyTo % (created.length || 1)] ?? null);
              const response = await api('POST', commentsPath, postRequest(comment, parentId));
              responses.push(response);
              if (response.status === 201) {
                const id = (response.json.comment as { id: string }).id;
                created.push(id);
                owned.push({
                  id,
                  token: response.json.editToken as string,
                  own: comment.own,
                  edit: comment.edit,
                });
                tally.created += 1;
                if (parentId !== null) tally.replies += 1;
              } else {
                tally.errors.add(response.status);
              }
            }

            // Two comments that always publish, so every run pages through at least one cursor.
            for (const anchor of [`anchor-a-${run}@example.com`, `anchor-b-${run}@example.com`]) {
              everyEmail.push(anchor);
              emails.push(anchor);
              const response = await api('POST', commentsPath, {
                body: { name: 'Anchor', email: anchor, body: 'anchor' },
              });
              expect(response.status).toBe(201);
              tally.created += 1;
              responses.push(response);
            }
            // The authors' own routes, with their tokens, inside the edit window.
            for (const { id, token, own, edit } of owned) {
              const authorization = { authorization: `Bearer ${token}` };
              if (own === 'edit' || own === 'edit-then-delete') {
                const edited = await api('PATCH', `/comments/${id}`, {
                  // A client might send the email along; it must not come back.
                  body: { body: edit, email: emails[0] },
                  headers: authorization,
                });
                expect(edited.status).toBe(200);
                tally.edited += 1;
                responses.push(edited);
              }
              if (own === 'delete' || own === 'edit-then-delete') {
                const deleted = await api('DELETE', `/comments/${id}`, { headers: authorization });
                expect(deleted.status).toBe(204);
                tally.deleted += 1;
                responses.push(deleted);
              }
            }
            responses.push(
              ...(await readList(articleId, 'oldest')),
              ...(await readList(articleId, 'newest')),
              await api('GET', commentsPath),
              await api('PUT', reactionsPath, { body: { visitorId, reaction: 'happy' } }),
              await api('PUT', reactionsPath, { body: { visitorId, reaction: 'silly' } }),
              await api('GET', reactionsPath, { query: { visitorId } }),
              await api('DELETE', reactionsPath, { query: { visitorId } }),
              await api('GET', reactionsPath),
              await api('GET', '/counts', {
                query: { articles: `${articleId},privacy-1,unknown` },
              }),
              await api('GET', '/config'),
            );

            // Error answers, each given the email where a client might send it by mistake.
            const [email] = emails as [string];
            const errors = [
              await api('GET', commentsPath, { query: { cursor: `${email}.${email}` } }),
              await api('GET', commentsPath, { query: { order: email, limit: email } }),
              await api('GET', `/articles/${encodeURIComponent(email)}/comments`),
              await api('PUT', reactionsPath, { body: { visitorId: email, reaction: email } }),
              await api('GET', reactionsPath, { query: { visitorId: email } }),
              await api('DELETE', reactionsPath, { query: { visitorId: email } }),
              await api('GET', '/counts', { query: { articles: `${articleId},${email}` } }),
              await api('GET', `/articles/${articleId}/${encodeURIComponent(email)}`),
              await api('PATCH', commentsPath, { body: { email } }),
              await api('POST', commentsPath, {
                body: { email, body: 'b'.repeat(17 * 1024) },
              }),
              await api('POST', commentsPath, {
                body: { email },
                headers: { 'content-type': 'text/plain' },
              }),
              ...(await ownRouteErrors(owned, email)),
            ];
            for (const response of errors) tally.errors.add(response.status);
            responses.push(...errors);

            for (const response of responses) {
              expect(leaks(exposed(response), everyEmail)).toEqual([]);
              expect(exposed(response)).not.toContain(visitorId);
            }
            const logs = logLines.slice(firstLog).join('\n');
            expect(logLines.length).toBeGreaterThan(firstLog);
            expect(leaks(logs, emails)).toEqual([]);
            expect(logs).not.toContain(visitorId);
          },
        ),
        { numRuns: 25 },
      );
      // The property only means something if it saw comments, replies, cursors and errors.
      expect(tally.created).toBeGreaterThan(5);
      expect(tally.replies).toBeGreaterThan(0);
      expect(tally.cursorsFollowed).toBeGreaterThan(0);
      expect(tally.edited).toBeGreaterThan(0);
      expect(tally.deleted).toBeGreaterThan(0);
      expect([...tally.errors].sort()).toEqual([400, 401, 403, 404, 405, 413, 415]);
    },
    PROPERTY_TIMEOUT_MS,
  );

  it('stores the email, so the property above is about publishing, not about storing', async () => {
    const stored = (await table.scanAll()).filter((item) => item.entity === 'Comment');
    expect(stored.length).toBe(tally.created - tally.deleted);
    expect(stored.every((item) => typeof item.email === 'string' && item.email.includes('@'))).toBe(
      true,
    );
    // The keyed hash the property looks for is the one stored.
    expect(stored.every((item) => item.emailHash === keyedEmailHash(String(item.email)))).toBe(
      true,
    );
  });
});
