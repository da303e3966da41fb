import { countLinks, dispositionFor, normaliseEmail } from '../../../lambda/domain/moderation';
import { DEFAULT_MODERATION, type Moderation } from '../../../lambda/domain/settings';

const policy = (name: Moderation['policy'], maxLinks = 2): Moderation => ({
  ...DEFAULT_MODERATION,
  policy: name,
  maxLinks,
});

const comment = (body: string, honeypot = false) => ({ body, website: null, honeypot });

describe('countLinks', () => {
  it.each([
    ['no link', 'Plain text, no link. Email me at ada@example.com', 0],
    ['an http link', 'see http://a.example', 1],
    ['an https link in capitals', 'see HTTPS://A.EXAMPLE/x', 1],
    ['a bare www address', 'see www.a.example', 1],
    ['a link with www after its scheme, once', 'see https://www.a.example/page', 1],
    ['links without spaces between them', 'http://a.example,http://b.example', 2],
    ['two links with www', 'https://www.a.example and http://www.b.example', 2],
    ['three links', 'http://a.example www.b.example https://c.example', 3],
    ['a scheme inside a word', 'xhttp://a.example', 0],
    ['an ftp address', 'ftp://a.example', 0],
  ])('counts %s', (_case, text, count) => {
    expect(countLinks(text)).toBe(count);
  });
});

describe('dispositionFor', () => {
  it.each([
    ['none', 'published'],
    ['first-time', 'published-if-known'],
    ['all', 'pending'],
  ] as const)('under policy %s, a plain comment is %s', (name, expected) => {
    expect(dispositionFor(policy(name), comment('Hello.'))).toBe(expected);
  });

  it.each(['none', 'first-time', 'all'] as const)(
    'under policy %s, a filled honeypot is spam',
    (name) => {
      expect(dispositionFor(policy(name), comment('http://a http://b http://c', true))).toBe(
        'spam',
      );
    },
  );

  it.each(['none', 'first-time'] as const)(
    'under policy %s, more links than maxLinks hold the comment',
    (name) => {
      const body = 'http://a.example http://b.example http://c.example';
      expect(dispositionFor(policy(name), comment(body))).toBe('pending');
    },
  );

  it('allows exactly maxLinks links', () => {
    const body = 'http://a.example http://b.example';
    expect(dispositionFor(policy('none'), comment(body))).toBe('published');
  });

  it('follows a configured maxLinks, 0 included', () => {
    expect(dispositionFor(policy('none', 0), comment('see www.a.example'))).toBe('pending');
    expect(dispositionFor(policy('none', 0), comment('no links'))).toBe('published');
  });

  it('does not count the website field as a link in the body', () => {
    expect(
      dispositionFor(policy('none', 0), {
        body: 'Hello.',
        website: 'https://ada.example',
        honeypot: false,
      }),
    ).toBe('published');
  });
});

describe('normaliseEmail', () => {
  it.each([
    ['Ada@Example.COM', 'ada@example.com'],
    ['  ada@example.com\t', 'ada@example.com'],
    ['ada@example.com', 'ada@example.com'],
  ])('normalises %j to %j', (email, expected) => {
    expect(normaliseEmail(email)).toBe(expected);
  });
});
