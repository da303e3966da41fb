import { findLinks } from '../../web/shared/links';

/** The links' texts, as the console and the mail list them. */
const texts = (text: string) => findLinks(text).map((link) => link.text);

describe('findLinks, the one link rule', () => {
  it.each([
    ['See https://example.com.', ['https://example.com']],
    [
      'Go to https://example.com/a, then https://example.org/b; done!',
      ['https://example.com/a', 'https://example.org/b'],
    ],
    ['Really? https://example.com/q?x=1?', ['https://example.com/q?x=1']],
    ["It's at 'https://example.com/x'", ['https://example.com/x']],
    ['(see https://example.com/path)', ['https://example.com/path']],
    [
      '(see https://en.wikipedia.org/wiki/Pier_(disambiguation)).',
      ['https://en.wikipedia.org/wiki/Pier_(disambiguation)'],
    ],
    ['[https://example.com/list]', ['https://example.com/list']],
    ['https://example.com/a[1]', ['https://example.com/a[1]']],
    ['visit www.example.com today', ['www.example.com']],
    ['HTTP://EXAMPLE.COM/Up', ['HTTP://EXAMPLE.COM/Up']],
    ['<https://example.com/in-brackets>', ['https://example.com/in-brackets']],
    ['say "https://example.com/quoted"', ['https://example.com/quoted']],
  ])('finds the links in %j without the punctuation around them', (text, expected) => {
    expect(texts(text)).toEqual(expected);
  });

  it.each([
    'ftp://example.com/file',
    'javascript:alert(1)',
    'awww.example.com',
    'www. alone',
    'https:// and nothing',
    'example.com without a scheme',
  ])('finds no link in %j', (text) => {
    expect(texts(text)).toEqual([]);
  });

  it('says where each link starts and where it goes: www. as https', () => {
    expect(findLinks('A www.example.com/x and http://example.org')).toEqual([
      { start: 2, text: 'www.example.com/x', href: 'https://www.example.com/x' },
      { start: 24, text: 'http://example.org', href: 'http://example.org/' },
    ]);
  });
});
