import fc from 'fast-check';
import { DEFAULT_SETTINGS } from '../../../lambda/domain/settings';
import {
  articleIdSchema,
  buildSchemas,
  commentIdSchema,
  validate,
  visitorIdSchema,
} from '../../../lambda/domain/validation';
import { BIDI, isWellFormed, trickyText, VISIBLE } from '../../support/deceptive-text';

const schemas = buildSchemas(DEFAULT_SETTINGS);

const valid = {
  name: 'Ada',
  email: 'ada@example.com',
  website: 'https://ada.example/',
  body: 'Hello there.',
};

function commentErrors(overrides: Record<string, unknown>) {
  const result = validate(schemas.newComment, { ...valid, ...overrides });
  return result.ok ? [] : result.errors;
}

function accepted(overrides: Record<string, unknown>) {
  const result = validate(schemas.newComment, { ...valid, ...overrides });
  if (!result.ok) throw new Error(`expected valid input, got ${JSON.stringify(result.errors)}`);
  return result.value;
}

/** Bidi embeddings, overrides and isolates: each can make the text around it read otherwise. */
const BIDI_CONTROLS = [
  '\u202A',
  '\u202B',
  '\u202C',
  '\u202D',
  '\u202E',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
];

/** Text that shows nothing: zero-width characters, fillers, ignorables and lone marks. */
const INVISIBLE_TEXTS: [string, string][] = [
  ['zero-width spaces', '\u200B\u200B'],
  ['a word joiner', '\u2060'],
  ['a byte order mark inside zero-width joiners', '\u200D\uFEFF\u200C'],
  ['a soft hyphen', '\u00AD'],
  ['Hangul fillers', '\u3164\u115F\u1160\uFFA0'],
  ['a variation selector', '\uFE0F'],
  ['a combining mark with no base', '\u0301'],
  ['left-to-right and right-to-left marks', '\u200E\u200F\u061C'],
  ['a blank Braille pattern', '\u2800'],
  ['a tag character', '\u{E0041}'],
];

/** Unpaired halves of a surrogate pair: not text, and DynamoDB may refuse them. */
const LONE_SURROGATES: [string, string][] = [
  ['a lone high surrogate', 'Ada\uD83D'],
  ['a lone low surrogate', '\uDE00Ada'],
  ['two high surrogates', 'A\uD83D\uD83Dda'],
];

/**
 * The rules every text people read follows, run against one field: refused with the field's
 * name, or accepted in NFC.
 */
function readableTextRules(
  field: string,
  errorsOf: (text: string) => { field: string; message: string }[],
  acceptedOf: (text: string) => string | null | undefined,
): void {
  it.each(BIDI_CONTROLS)('rejects the bidi control U+%s', (control) => {
    expect(errorsOf(`Ada ${control}txt.exe`)).toEqual([
      { field, message: 'must not contain bidirectional control characters' },
    ]);
  });

  it.each(LONE_SURROGATES)('rejects %s', (_case, text) => {
    expect(errorsOf(text)).toEqual([
      { field, message: 'must not contain unpaired surrogate code units' },
    ]);
  });

  it.each(INVISIBLE_TEXTS)('rejects text made only of %s', (_case, text) => {
    expect(errorsOf(` ${text} `)).toEqual([{ field, message: 'must contain a visible character' }]);
  });

  it('keeps marks and joiners beside visible text (mixed scripts, emoji sequences)', () => {
    const text = '\u05E9\u05DC\u05D5\u05DD 2026\u200F 👩\u200D💻 می\u200Cخواهم';
    expect(acceptedOf(text)).toBe(text);
  });

  it('stores and returns NFC', () => {
    const decomposed = 'Zoe\u0308 Ame\u0301lie';
    expect(acceptedOf(decomposed)).toBe('Zoë Amélie');
    expect(acceptedOf(decomposed)).toBe(decomposed.normalize('NFC'));
  });
}

/** 254 characters: a 64-character local part and a domain of 189. */
const LONGEST_EMAIL = `${'l'.repeat(64)}@${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(57)}.com`;

describe('newComment schema', () => {
  it('takes notify as a boolean, off unless asked, and names a non-boolean', () => {
    expect(accepted({ notify: true })).toMatchObject({ notify: true });
    expect(commentErrors({ notify: 'yes' })).toEqual([
      { field: 'notify', message: 'must be true or false' },
    ]);
  });

  it('accepts a complete comment and returns it', () => {
    expect(accepted({})).toEqual({ ...valid, parentId: null, notify: false });
  });

  describe('name', () => {
    it('is trimmed', () => {
      expect(accepted({ name: '  Ada Lovelace \n' }).name).toBe('Ada Lovelace');
    });

    it.each([
      ['missing', undefined, 'is required'],
      ['null', null, 'is required'],
      ['empty', '', 'is required'],
      ['only spaces', '   \t ', 'is required'],
      ['not a string', 42, 'must be text'],
    ])('is rejected when %s', (_case, name, message) => {
      expect(commentErrors({ name })).toEqual([{ field: 'name', message }]);
    });

    it('accepts 80 code points even when they take 160 UTF-16 units', () => {
      const name = '😀'.repeat(80);
      expect(name.length).toBe(160);
      expect(accepted({ name }).name).toBe(name);
    });

    it('rejects 81 characters', () => {
      expect(commentErrors({ name: 'a'.repeat(81) })).toEqual([
        { field: 'name', message: 'must be at most 80 characters' },
      ]);
    });

    it.each([
      ['NUL', 'Ada\u0000'],
      ['BEL', 'A\u0007da'],
      ['newline inside', 'Ada\nLovelace'],
      ['tab inside', 'Ada\tLovelace'],
      ['DEL', 'Ada\u007f'],
      ['C1 control', 'Ada\u0085x'],
    ])('rejects a control character (%s)', (_case, name) => {
      expect(commentErrors({ name })).toEqual([
        { field: 'name', message: 'must not contain control characters' },
      ]);
    });

    readableTextRules(
      'name',
      (name) => commentErrors({ name }),
      (name) => accepted({ name }).name,
    );
  });

  describe('email', () => {
    it.each([
      'ada@example.com',
      'ada.lovelace+talkback@mail.example.co.uk',
      "o'brien@example.ie",
      'user_name-1@sub-domain.example.org',
      LONGEST_EMAIL,
    ])('accepts %s', (email) => {
      expect(accepted({ email }).email).toBe(email);
    });

    it('is trimmed', () => {
      expect(accepted({ email: '  ada@example.com ' }).email).toBe('ada@example.com');
    });

    it.each([
      ['missing', undefined, 'is required'],
      ['empty', '', 'is required'],
      ['not a string', ['ada@example.com'], 'must be text'],
    ])('is rejected when %s', (_case, email, message) => {
      expect(commentErrors({ email })).toEqual([{ field: 'email', message }]);
    });

    it('rejects 255 characters', () => {
      const email = `l${LONGEST_EMAIL}`;
      expect(email).toHaveLength(255);
      expect(commentErrors({ email })).toEqual([
        { field: 'email', message: 'must be at most 254 characters' },
      ]);
    });

    it.each([
      'ada',
      'ada@',
      '@example.com',
      'ada@example',
      'ada@@example.com',
      'ada@exa@mple.com',
      'ada lovelace@example.com',
      'ada@exam ple.com',
      '<ada@example.com>',
      'ada@example.com, bob@example.com',
      'ada@-example.com',
      'ada@example..com',
      'ada@example.c',
      `${'l'.repeat(65)}@example.com`,
      'ada\u0000@example.com',
      'ada\u0007x@example.com',
      'ada\u007f@example.com',
    ])('rejects %j', (email) => {
      expect(commentErrors({ email })).toEqual([
        { field: 'email', message: 'must be a valid email address' },
      ]);
    });
  });

  describe('website', () => {
    it.each([
      ['absent', undefined],
      ['null', null],
      ['empty', ''],
      ['only spaces', '   '],
    ])('is null when %s', (_case, website) => {
      expect(accepted({ website }).website).toBeNull();
    });

    it.each([
      'http://ada.example/',
      'https://ada.example/blog?page=2#top',
      'https://ada.example:8443/',
    ])('accepts %s', (website) => {
      expect(accepted({ website }).website).toBe(website);
    });

    it('is trimmed', () => {
      expect(accepted({ website: ' https://ada.example ' }).website).toBe('https://ada.example/');
    });

    it.each([
      ['the path a host alone implies', 'https://ada.example', 'https://ada.example/'],
      ['scheme and host in lower case', 'HTTPS://Ada.EXAMPLE/Blog', 'https://ada.example/Blog'],
      ['backslashes as a browser reads them', 'https:\\\\evil.example', 'https://evil.example/'],
      ['a default port dropped', 'https://ada.example:443/x', 'https://ada.example/x'],
      ['dot segments resolved', 'https://ada.example/a/../b', 'https://ada.example/b'],
      ['an IDN host in punycode', 'https://bücher.example/', 'https://xn--bcher-kva.example/'],
      [
        'a Cyrillic look-alike in punycode',
        'https://\u0440aypal.example/',
        'https://xn--aypal-uye.example/',
      ],
      ['a percent escape kept as sent', 'https://a.example/?q=%20', 'https://a.example/?q=%20'],
    ])('stores and publishes the canonical href: %s', (_case, website, href) => {
      expect(accepted({ website }).website).toBe(href);
      expect(new URL(href).href).toBe(href);
    });

    it.each([
      ['NUL in the path', 'https://a.example/\u0000x'],
      ['a newline inside the host', 'https://a.exa\nmple/'],
      ['a tab inside the host', 'https://a.exa\tmple/'],
      ['a space inside the host', 'https://exa mple.com'],
      ['a space in the path', 'https://a.example/a b'],
      ['a no-break space', 'https://a.example/\u00A0x'],
      ['a zero-width space in the host', 'https://pay\u200Bpal.example/'],
      ['a right-to-left override', 'https://a.example/\u202Egpj.exe'],
      ['a soft hyphen in the host', 'https://pay\u00ADpal.example/'],
      ['a lone surrogate', 'https://a.example/\uD800'],
      ['a line separator', 'https://a.example/\u2028x'],
    ])('rejects %s', (_case, website) => {
      expect(commentErrors({ website })).toEqual([
        { field: 'website', message: 'must not contain spaces, control or format characters' },
      ]);
    });

    it.each([
      'https://paypal.com@evil.example/',
      'https://user:secret@ada.example/',
      'https://:secret@ada.example/',
      'http://paypal.com%40login@evil.example/',
    ])('rejects a user name or password: %s', (website) => {
      expect(commentErrors({ website })).toEqual([
        { field: 'website', message: 'must not contain a user name or password' },
      ]);
    });

    it('checks the length of the canonical href too', () => {
      // 2048 characters as typed, 2049 once the host's implied "/" is added.
      const website = `https://${'a'.repeat(2048 - 'https://'.length - '.example'.length)}.example`;
      expect(website).toHaveLength(2048);
      expect(commentErrors({ website })).toEqual([
        { field: 'website', message: 'must be at most 2048 characters' },
      ]);
    });

    it.each([
      'javascript:alert(1)',
      'JavaScript:alert(document.cookie)',
      ' javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'data:image/png;base64,AAAA',
      'vbscript:msgbox(1)',
      'ftp://ada.example',
      'mailto:ada@example.com',
      'file:///etc/passwd',
      '//ada.example',
      '/relative/path',
      'ada.example',
      'http://',
    ])('rejects %j', (website) => {
      expect(commentErrors({ website })).toEqual([
        { field: 'website', message: 'must be an absolute http: or https: URL' },
      ]);
    });

    it('rejects a non-string', () => {
      expect(commentErrors({ website: 42 })).toEqual([
        { field: 'website', message: 'must be a URL' },
      ]);
    });

    it('accepts 2048 characters and rejects 2049', () => {
      const base = 'https://ada.example/';
      const at = (length: number) => base + 'a'.repeat(length - base.length);
      expect(accepted({ website: at(2048) }).website).toHaveLength(2048);
      expect(commentErrors({ website: at(2049) })).toEqual([
        { field: 'website', message: 'must be at most 2048 characters' },
      ]);
    });
  });

  describe('body', () => {
    it('is trimmed but keeps inner whitespace', () => {
      expect(accepted({ body: '\n  First line\n\n\tSecond line  \r\n' }).body).toBe(
        'First line\n\n\tSecond line',
      );
    });

    it.each([
      ['missing', undefined, 'is required'],
      ['empty', '', 'is required'],
      ['only whitespace', ' \n\t ', 'is required'],
      ['not a string', { text: 'hi' }, 'must be text'],
    ])('is rejected when %s', (_case, body, message) => {
      expect(commentErrors({ body })).toEqual([{ field: 'body', message }]);
    });

    it('counts code points, not UTF-16 units: 5000 emoji are accepted', () => {
      const body = '😀'.repeat(5000);
      expect(body.length).toBe(10000);
      expect(accepted({ body }).body).toBe(body);
    });

    it('counts code points, not bytes: 5000 three-byte characters are accepted', () => {
      const body = '€'.repeat(5000);
      expect(Buffer.byteLength(body)).toBe(15000);
      expect(accepted({ body }).body).toBe(body);
    });

    it('rejects 5001 code points', () => {
      expect(commentErrors({ body: '😀'.repeat(5001) })).toEqual([
        { field: 'body', message: 'must be at most 5000 characters' },
      ]);
    });

    it('measures the limit after trimming', () => {
      const body = `   ${'a'.repeat(5000)}   `;
      expect(accepted({ body }).body).toHaveLength(5000);
    });

    it.each([
      ['NUL', 'a\u0000b'],
      ['ESC', 'a\u001b[31mred'],
      ['DEL', 'a\u007fb'],
      ['vertical tab', 'a\u000bb'],
    ])('rejects a control character (%s)', (_case, body) => {
      expect(commentErrors({ body })).toEqual([
        { field: 'body', message: 'must not contain control characters' },
      ]);
    });

    it('keeps markup as plain text', () => {
      const body = '<script>alert("x")</script> & <b>bold</b>';
      expect(accepted({ body }).body).toBe(body);
    });

    readableTextRules(
      'body',
      (body) => commentErrors({ body }),
      (body) => accepted({ body }).body,
    );
  });

  describe('parentId', () => {
    it.each([
      ['absent', undefined],
      ['null', null],
    ])('is null when %s', (_case, parentId) => {
      expect(accepted({ parentId }).parentId).toBeNull();
    });

    it('accepts a ULID', () => {
      expect(accepted({ parentId: '01JDQ7X6ZJ6Y8R3K2V9N4T5B1C' }).parentId).toBe(
        '01JDQ7X6ZJ6Y8R3K2V9N4T5B1C',
      );
    });

    it.each([
      'abc',
      '01jdq7x6zj6y8r3k2v9n4t5b1c',
      '01JDQ7X6ZJ6Y8R3K2V9N4T5B1',
      '01JDQ7X6ZJ6Y8R3K2V9N4T5B1CX',
      '01JDQ7X6ZJ6Y8R3K2V9N4T5BIL',
      '',
      42,
    ])('rejects %j', (parentId) => {
      expect(commentErrors({ parentId })).toEqual([
        { field: 'parentId', message: 'must be a comment id' },
      ]);
    });
  });

  it('lists every bad field at once, one message each', () => {
    const errors = commentErrors({
      name: '',
      email: 'not an email',
      website: 'javascript:alert(1)',
      body: '',
      parentId: 'nope',
    });
    expect(errors.map((error) => error.field).sort()).toEqual(
      ['body', 'email', 'name', 'parentId', 'website'].sort(),
    );
  });

  it('lists missing required fields of an empty object', () => {
    const result = validate(schemas.newComment, {});
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.errors).toEqual(
      expect.arrayContaining([
        { field: 'name', message: 'is required' },
        { field: 'email', message: 'is required' },
        { field: 'body', message: 'is required' },
      ]),
    );
    expect(result.ok ? [] : result.errors).toHaveLength(3);
  });
});

describe('articleIdSchema', () => {
  it.each(['a', 'russia-north-korea-ties', 'A.b_c~d-0', 'x'.repeat(128)])('accepts %s', (id) => {
    expect(validate(articleIdSchema, id)).toEqual({ ok: true, value: id });
  });

  it.each(['', 'x'.repeat(129), 'a b', 'a/b', 'a#b', 'ARTICLE#x', 'é', 'a%20b', 'a,b'])(
    'rejects %j',
    (id) => {
      expect(validate(articleIdSchema, id).ok).toBe(false);
    },
  );
});

describe('visitorIdSchema', () => {
  it.each(['a'.repeat(16), 'A-b_0'.repeat(12).slice(0, 64)])('accepts %s', (id) => {
    expect(validate(visitorIdSchema, id)).toEqual({ ok: true, value: id });
  });

  it.each(['a'.repeat(15), 'a'.repeat(65), `${'a'.repeat(16)}.`, `${'a'.repeat(16)} `, ''])(
    'rejects %j',
    (id) => {
      expect(validate(visitorIdSchema, id).ok).toBe(false);
    },
  );
});

describe('reactionChoice schema', () => {
  const visitorId = 'visitor-0123456789';

  it.each(['excited', 'happy', 'in-love', 'not-sure', 'silly'])('accepts %s', (reaction) => {
    expect(validate(schemas.reactionChoice, { visitorId, reaction })).toEqual({
      ok: true,
      value: { visitorId, reaction },
    });
  });

  it('rejects an unknown reaction and a bad visitorId together', () => {
    const result = validate(schemas.reactionChoice, { visitorId: 'short', reaction: 'angry' });
    expect(result).toEqual({
      ok: false,
      errors: [
        { field: 'visitorId', message: 'must be 16-64 characters of A-Z a-z 0-9 - _' },
        { field: 'reaction', message: 'must be one of: excited, happy, in-love, not-sure, silly' },
      ],
    });
  });
});

describe('listQuery schema', () => {
  it('defaults to 50 oldest first with no cursor', () => {
    expect(validate(schemas.listQuery, {})).toEqual({
      ok: true,
      value: { limit: 50, order: 'oldest' },
    });
  });

  it.each([
    ['1', 1],
    ['100', 100],
    ['007', 7],
  ])('reads limit %s as %d', (limit, expected) => {
    const result = validate(schemas.listQuery, { limit });
    expect(result.ok && result.value.limit).toBe(expected);
  });

  it.each(['0', '101', '-1', '1.5', 'ten', '', '1e2', '1000'])('rejects limit %j', (limit) => {
    expect(validate(schemas.listQuery, { limit })).toEqual({
      ok: false,
      errors: [{ field: 'limit', message: 'must be a whole number from 1 to 100' }],
    });
  });

  it('rejects an unknown order', () => {
    expect(validate(schemas.listQuery, { order: 'random' })).toEqual({
      ok: false,
      errors: [{ field: 'order', message: 'must be oldest, newest or top' }],
    });
  });
});

describe('countsQuery schema', () => {
  it('splits the list of article ids', () => {
    expect(validate(schemas.countsQuery, { articles: 'a,b.c,d~e' })).toEqual({
      ok: true,
      value: { articles: ['a', 'b.c', 'd~e'] },
    });
  });

  it('accepts 100 ids and rejects 101', () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => `a${i}`).join(',');
    expect(validate(schemas.countsQuery, { articles: ids(100) }).ok).toBe(true);
    expect(validate(schemas.countsQuery, { articles: ids(101) }).ok).toBe(false);
  });

  it('lists an id given twice once', () => {
    expect(validate(schemas.countsQuery, { articles: 'a,b,a,b,c' })).toEqual({
      ok: true,
      value: { articles: ['a', 'b', 'c'] },
    });
  });

  it('accepts ids of 128 characters and rejects one of 129 anywhere in the list', () => {
    const id = (length: number) => 'x'.repeat(length);
    expect(validate(schemas.countsQuery, { articles: `a,${id(128)},b` }).ok).toBe(true);
    expect(validate(schemas.countsQuery, { articles: `a,${id(129)},b` })).toEqual({
      ok: false,
      errors: [
        {
          field: 'articles',
          message:
            'must be article ids of 1-128 characters of A-Z a-z 0-9 - _ . ~, separated by commas',
        },
      ],
    });
  });

  it("accepts exactly the lists docs/api.md's id rule allows, and names the field once otherwise", () => {
    // The rule as docs/api.md states it, written the plain way: the reference for the schema.
    const ID = /^[A-Za-z0-9\-_.~]{1,128}$/;
    const allowed = (list: string): string[] | undefined => {
      const ids = list.split(',');
      const max = DEFAULT_SETTINGS.limits.countsMaxArticles;
      return ids.every((id) => ID.test(id)) && ids.length <= max ? [...new Set(ids)] : undefined;
    };
    const character = fc.constantFrom('a', 'Z', '0', '-', '_', '.', '~', ',', ',', ' ', 'é', '"');
    const id = fc.oneof(
      fc.string({ unit: character, maxLength: 6 }),
      fc.integer({ min: 126, max: 131 }).map((length) => 'x'.repeat(length)),
    );
    const list = fc.oneof(
      fc.array(id, { maxLength: 8 }).map((pieces) => pieces.join('')),
      fc
        .array(fc.oneof(fc.stringMatching(/^[a-c]{1,2}$/), fc.constant('')), {
          minLength: 95,
          maxLength: 105,
        })
        .map((ids) => ids.join(',')),
    );
    fc.assert(
      fc.property(list, (articles) => {
        const result = validate(schemas.countsQuery, { articles });
        const ids = allowed(articles);
        if (ids) {
          expect(result).toEqual({ ok: true, value: { articles: ids } });
        } else {
          expect(result.ok).toBe(false);
          expect(result.ok ? [] : result.errors.map((error) => error.field)).toEqual(['articles']);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it.each([undefined, '', 'a,,b', 'a,b c', 'a,', ',a', 'a;b', 'a,é'])('rejects %j', (articles) => {
    expect(validate(schemas.countsQuery, { articles }).ok).toBe(false);
  });
});

describe('newComment schema: honeypot', () => {
  it('passes the honeypot field through for the domain to judge', () => {
    expect(accepted({ homepage: 'http://bot.example' }).homepage).toBe('http://bot.example');
  });

  it('leaves it out when absent', () => {
    expect(accepted({})).not.toHaveProperty('homepage');
  });
});

describe('commentEdit schema', () => {
  it('trims the body', () => {
    expect(validate(schemas.commentEdit, { body: ' Fixed. ' })).toEqual({
      ok: true,
      value: { body: 'Fixed.' },
    });
  });

  it.each([
    ['missing', {}],
    ['blank', { body: '  ' }],
    ['too long', { body: 'a'.repeat(5001) }],
    ['with a control character', { body: 'a\u0007b' }],
  ])('rejects a body that is %s', (_case, input) => {
    const result = validate(schemas.commentEdit, input);
    expect(result.ok ? [] : result.errors.map((error) => error.field)).toEqual(['body']);
  });

  readableTextRules(
    'body',
    (body) => {
      const result = validate(schemas.commentEdit, { body });
      return result.ok ? [] : result.errors;
    },
    (body) => {
      const result = validate(schemas.commentEdit, { body });
      if (!result.ok) throw new Error(JSON.stringify(result.errors));
      return result.value.body;
    },
  );
});

describe('commentIdSchema', () => {
  it.each([
    ['a ULID', '01JDQ7X6ZJ6Y8R3K2V9N4T5B1C', true],
    ['lower case', '01jdq7x6zj6y8r3k2v9n4t5b1c', false],
    ['25 characters', '01JDQ7X6ZJ6Y8R3K2V9N4T5B1', false],
    ['with an I', '01JDQ7X6ZJ6Y8R3K2V9N4T5B1I', false],
  ])('%s is valid: %s', (_case, id, ok) => {
    expect(validate(commentIdSchema, id).ok).toBe(ok);
  });
});

describe('moderationQuery schema', () => {
  it('defaults to pending, 50 at a time', () => {
    expect(validate(schemas.moderationQuery, {})).toEqual({
      ok: true,
      value: { status: 'pending', limit: 50 },
    });
  });

  it.each(['pending', 'published', 'spam'])('accepts status %s', (status) => {
    const result = validate(schemas.moderationQuery, { status });
    expect(result.ok && result.value.status).toBe(status);
  });

  it('rejects an unknown status', () => {
    expect(validate(schemas.moderationQuery, { status: 'deleted' })).toEqual({
      ok: false,
      errors: [{ field: 'status', message: 'must be pending, published or spam' }],
    });
  });
});

describe('moderationChange schema', () => {
  it.each(['published', 'spam', 'pending'])('accepts %s', (status) => {
    expect(validate(schemas.moderationChange, { status })).toEqual({ ok: true, value: { status } });
  });

  it.each([
    ['deleted', 'must be published, spam or pending'],
    [undefined, 'is required'],
  ])('rejects %j', (status, message) => {
    expect(validate(schemas.moderationChange, { status })).toEqual({
      ok: false,
      errors: [{ field: 'status', message }],
    });
  });
});

describe('erasure schema', () => {
  it('trims the email', () => {
    expect(validate(schemas.erasure, { email: ' ada@example.com ' })).toEqual({
      ok: true,
      value: { email: 'ada@example.com' },
    });
  });

  it.each([undefined, '', 'not an email', `${'a'.repeat(250)}@x.com`])('rejects %j', (email) => {
    const result = validate(schemas.erasure, { email });
    expect(result.ok ? [] : result.errors.map((error) => error.field)).toEqual(['email']);
  });
});

const tricky = trickyText(12);
const RUNS = { numRuns: 300 };

describe('properties of accepted text', () => {
  it.each(['name', 'body'])(
    'an accepted %s has no bidi control or lone surrogate, is NFC and shows something',
    (field) => {
      fc.assert(
        fc.property(tricky, (text) => {
          const result = validate(schemas.newComment, { ...valid, [field]: text });
          if (!result.ok) {
            expect(result.errors.map((error) => error.field)).toEqual([field]);
            return;
          }
          const stored = String(result.value[field as 'name' | 'body']);
          expect(BIDI.test(stored)).toBe(false);
          expect(isWellFormed(stored)).toBe(true);
          expect(stored).toBe(stored.normalize('NFC'));
          expect(VISIBLE.test(stored)).toBe(true);
        }),
        RUNS,
      );
    },
  );

  it('an accepted edit has no bidi control or lone surrogate, is NFC and shows something', () => {
    fc.assert(
      fc.property(tricky, (body) => {
        const result = validate(schemas.commentEdit, { body });
        if (!result.ok) return;
        expect(BIDI.test(result.value.body)).toBe(false);
        expect(isWellFormed(result.value.body)).toBe(true);
        expect(result.value.body).toBe(result.value.body.normalize('NFC'));
        expect(VISIBLE.test(result.value.body)).toBe(true);
      }),
      RUNS,
    );
  });

  it('an accepted email has no control, format character or lone surrogate', () => {
    fc.assert(
      fc.property(tricky, (local) => {
        const result = validate(schemas.newComment, { ...valid, email: `${local}@example.com` });
        if (!result.ok) return;
        expect(result.value.email).not.toMatch(/[\p{Cc}\p{Cf}\p{Cs}]/u);
      }),
      RUNS,
    );
  });

  it('an accepted website is its own canonical http(s) href, with no credentials or hidden characters', () => {
    const website = fc
      .tuple(
        fc.constantFrom(
          'https://',
          'http://',
          'HTTPS://',
          'https:\\\\',
          'https:',
          'javascript:',
          '',
        ),
        fc.constantFrom('', 'paypal.com@', 'user:pw@', ':pw@'),
        fc.constantFrom('a.example', 'bücher.example', '\u0440aypal.example', '127.0.0.1', '[::1]'),
        tricky,
      )
      .map(([scheme, credentials, host, rest]) => `${scheme}${credentials}${host}/${rest}`);
    fc.assert(
      fc.property(website, (input) => {
        const result = validate(schemas.newComment, { ...valid, website: input });
        if (!result.ok) {
          expect(result.errors.map((error) => error.field)).toEqual(['website']);
          return;
        }
        const stored = result.value.website;
        if (stored === null) return;
        const url = new URL(stored);
        expect(url.href).toBe(stored);
        expect(['http:', 'https:']).toContain(url.protocol);
        expect(url.username + url.password).toBe('');
        expect(input.trim()).not.toMatch(/[\s\p{Z}\p{Cc}\p{Cf}\p{Cs}]/u);
      }),
      RUNS,
    );
  });
});
