/**
 * Deceptive and malformed text in every field a client controls (name, email, website, body,
 * parentId, visitorId, reaction, the articleId of the path, query parameters), against the real
 * handlers and DynamoDB Local: no input may make a handler answer 500, and what is stored and
 * returned for a name or body has no bidi control or lone surrogate, is NFC and shows something.
 */
import fc from 'fast-check';
import { type Api, createApi } from '../support/api';
import { createTestTable, type TestTable } from '../support/dynamodb';
import { captureLogs } from '../support/logs';

jest.setTimeout(120_000);

const TRICKY = [
  '\u202E',
  '\u2066',
  '\u200F',
  '\u200B',
  '\u2060',
  '\uFEFF',
  '\u3164',
  '\u0301',
  '\uD83D',
  '\uDE00',
  '\u0000',
  '\u001B',
  '\u0085',
  '\u2028',
  '\u00A0',
  ' ',
  '\n',
  'a',
  '\u0430',
  'é',
  '😀',
  '@',
  '.',
  '/',
  ':',
  '\\',
  '%',
  '#',
  '?',
  ',',
  '&',
  '=',
];
const trickyText = fc.string({
  unit: fc.oneof(fc.constantFrom(...TRICKY), fc.string({ unit: 'binary', maxLength: 1 })),
  maxLength: 10,
});
const BIDI = /[\u202A-\u202E\u2066-\u2069]/u;
const VISIBLE = /[^\s\p{Z}\p{Cc}\p{Cf}\p{Cs}\p{M}\p{Default_Ignorable_Code_Point}\u2800]/u;
const VALID = { name: 'Ada', email: 'ada@example.com', body: 'A fine comment.' };
const VISITOR = 'deceptive-visitor-01';

let table: TestTable;
let api: Api;
beforeAll(async () => {
  captureLogs();
  table = await createTestTable('deceptive');
  api = createApi(table.runtime());
});
afterAll(async () => table.drop());

/**
 * A path segment as a client sends it: percent-encoded UTF-8. A lone surrogate has no UTF-8
 * form, so it arrives as the replacement character, as invalid bytes decode.
 */
const segment = (text: string) => encodeURIComponent(text.replace(/\p{Cs}/gu, '\uFFFD'));

/** One request with `text` in one client-controlled place. */
const REQUESTS: [string, (text: string) => Parameters<Api>][] = [
  ['name', (name) => ['POST', '/articles/d/comments', { body: { ...VALID, name } }]],
  ['email', (email) => ['POST', '/articles/d/comments', { body: { ...VALID, email } }]],
  [
    'website',
    (rest) => ['POST', '/articles/d/comments', { body: { ...VALID, website: `https://${rest}` } }],
  ],
  ['body', (body) => ['POST', '/articles/d/comments', { body: { ...VALID, body } }]],
  ['parentId', (parentId) => ['POST', '/articles/d/comments', { body: { ...VALID, parentId } }]],
  [
    'visitorId',
    (visitorId) => ['PUT', '/articles/d/reactions', { body: { visitorId, reaction: 'happy' } }],
  ],
  [
    'reaction',
    (reaction) => ['PUT', '/articles/d/reactions', { body: { visitorId: VISITOR, reaction } }],
  ],
  ['articleId', (id) => ['GET', `/articles/${segment(id)}/comments`, {}]],
  ['articleId of a write', (id) => ['POST', `/articles/${segment(id)}/comments`, { body: VALID }]],
  ['cursor', (cursor) => ['GET', '/articles/d/comments', { query: { cursor } }]],
  [
    'limit and order',
    (text) => ['GET', '/articles/d/comments', { query: { limit: text, order: text } }],
  ],
  [
    'reactions visitorId',
    (visitorId) => ['GET', '/articles/d/reactions', { query: { visitorId } }],
  ],
  ['counts articles', (articles) => ['GET', '/counts', { query: { articles } }]],
  ['edit body', (body) => ['PATCH', '/comments/01M8CYWZ34KHFZS9XHGHJE5FAC', { body: { body } }]],
];

describe('deceptive text in every field', () => {
  it.each(REQUESTS)('%s: never a 500, and accepted text is clean', async (_field, request) => {
    await fc.assert(
      fc.asyncProperty(trickyText, async (text) => {
        const response = await api(...request(text));
        expect(response.status).toBeLessThan(500);
        const comment = response.json.comment as
          | { author: { name: string; website: string | null }; body: string }
          | undefined;
        if (response.status !== 201 || comment === undefined) return;
        for (const shown of [comment.author.name, comment.body]) {
          expect(BIDI.test(shown)).toBe(false);
          expect(/\p{Cs}/u.test(shown)).toBe(false);
          expect(shown).toBe(shown.normalize('NFC'));
          expect(VISIBLE.test(shown)).toBe(true);
        }
        const website = comment.author.website;
        if (website !== null) {
          expect(new URL(website).href).toBe(website);
          expect(website).not.toContain('@');
        }
      }),
      { numRuns: 25 },
    );
  });
});
