import fc from 'fast-check';
import { htmlToText } from '../../../bin/admin/import/html-text';

describe('htmlToText', () => {
  it.each([
    [
      'keeps line breaks, with the newline WordPress writes after <br />',
      'One<br />\nTwo',
      'One\nTwo',
    ],
    ['makes paragraphs one blank line apart', '<p>One</p>\n<p>Two</p>', 'One\n\nTwo'],
    ['keeps plain newlines of a comment without tags', 'One\nTwo\n\nThree', 'One\nTwo\n\nThree'],
    [
      'decodes entities',
      'Ytre &amp; Indre &#8211; &lt;b&gt; &quot;q&quot;',
      'Ytre & Indre – <b> "q"',
    ],
    [
      'keeps a link’s address next to its text',
      'See <a href="https://a.example/x?y=1&amp;z">the archive</a>.',
      'See the archive (https://a.example/x?y=1&z).',
    ],
    [
      'writes a bare link once',
      '<a href="https://a.example/">https://a.example/</a>',
      'https://a.example/',
    ],
    [
      'gives an empty link its address',
      'Look: <a href="https://a.example/"></a>',
      'Look: https://a.example/',
    ],
    ['drops a javascript: link’s address', '<a href="javascript:alert(1)">click</a>', 'click'],
    [
      'reduces other elements to their text',
      '<em>very</em> <strong>bold</strong> <code>x()</code>',
      'very bold x()',
    ],
    [
      'drops scripts and styles with their content',
      '<script>alert(1)</script><style>p{}</style>ok',
      'ok',
    ],
    ['lists items on lines', '<ul><li>one</li><li>two</li></ul>after', '- one\n- two\n\nafter'],
    ['keeps unicode', '灯台守の話 🌊 Ødegård', '灯台守の話 🌊 Ødegård'],
    ['removes control characters other than newlines', 'a\u0007b\u0001c', 'abc'],
  ])('%s', (_name, html, text) => {
    expect(htmlToText(html)).toBe(text);
  });

  const TAGS = [
    'p',
    'b',
    'strong',
    'em',
    'i',
    'a',
    'blockquote',
    'div',
    'span',
    'code',
    'ul',
    'li',
  ];
  const word = fc.stringMatching(/^[A-Za-z0-9À-ÿ]{1,8}$/);
  type Tree = { text: string } | { tag: string; children: Tree[] };
  const tree: fc.Arbitrary<Tree> = fc.letrec<{ node: Tree }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      word.map((text) => ({ text })),
      fc.record({
        tag: fc.constantFrom(...TAGS),
        children: fc.array(tie('node'), { maxLength: 4 }),
      }),
    ),
  })).node;
  const render = (node: Tree): string =>
    'text' in node
      ? node.text
      : `<${node.tag}${node.tag === 'a' ? ' href="https://x.example/"' : ''}>${node.children.map(render).join(' ')}</${node.tag}>`;
  const words = (node: Tree): string[] =>
    'text' in node ? [node.text] : node.children.flatMap(words);

  it('leaves no markup, whatever the nesting of tags', () => {
    fc.assert(
      fc.property(tree, (node) => {
        expect(htmlToText(render(node))).not.toMatch(/[<>]/);
      }),
    );
  });

  it('keeps every word of the text, in order', () => {
    fc.assert(
      fc.property(tree, (node) => {
        const text = htmlToText(render(node));
        let from = 0;
        for (const each of words(node)) {
          const at = text.indexOf(each, from);
          expect(at).toBeGreaterThanOrEqual(0);
          from = at + each.length;
        }
      }),
    );
  });

  it('keeps text with escaped markup characters as text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (raw) => {
        const visible = raw.replace(/\p{Cc}|\s/gu, '');
        const escaped = visible.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
        expect(htmlToText(escaped)).toBe(visible);
      }),
    );
  });
});
