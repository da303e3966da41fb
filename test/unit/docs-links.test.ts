/**
 * Every file the documentation links to, and every Markdown file a code comment names, exists in
 * the repository: a reader who follows one never lands on nothing.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');

/** Where comments are read: the code, not the build output or the installed packages. */
const CODE_DIRS = ['lib', 'lambda', 'bin', 'web', 'test'];
const CODE_FILE = /\.(ts|mts|cts|js|mjs|cjs|css)$/;

function filesUnder(dir: string, keep: (file: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'dist') return [];
    if (statSync(path).isDirectory()) return filesUnder(path, keep);
    return keep(path) ? [path] : [];
  });
}

/** README.md, CONTRIBUTING.md and every Markdown file under docs/. */
function markdownFiles(): string[] {
  const top = ['README.md', 'CONTRIBUTING.md']
    .map((name) => join(ROOT, name))
    .filter((path) => existsSync(path));
  return [...top, ...filesUnder(join(ROOT, 'docs'), (path) => path.endsWith('.md'))];
}

/** Markdown without fenced code blocks and inline code, where link syntax is only an example. */
function proseOf(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
}

/** The targets of inline links and images, `[text](target)`, and of `[label]: target` lines. */
function linkTargets(markdown: string): string[] {
  const prose = proseOf(markdown);
  const inline = [...prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)];
  const definitions = [...prose.matchAll(/^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s.*)?$/gm)];
  return [...inline, ...definitions].map((match) => match[1] ?? '');
}

/**
 * The file a relative link points to, or undefined for a link that leaves the repository's files
 * (a URL, mailto:, or an anchor in the same page). The anchor and query are not part of the file.
 */
function linkedFile(fromFile: string, target: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) return undefined;
  const path = decodeURIComponent(target.replace(/[#?].*$/, ''));
  if (path === '') return undefined;
  return path.startsWith('/') ? join(ROOT, path) : resolve(dirname(fromFile), path);
}

/**
 * The comments of a TypeScript, JavaScript or CSS source, in order. Strings, template literals
 * and regular expression literals are skipped: a file name in one of them is code, not a comment.
 */
const WORD = /[\w$]+/y;
const REGEX_KEYWORDS = new Set([
  'return',
  'typeof',
  'case',
  'in',
  'of',
  'void',
  'delete',
  'throw',
  'yield',
  'await',
]);

function commentsOf(source: string): string[] {
  const comments: string[] = [];
  // Template literals nest: `${ ... `...` ... }`; each open `${` remembers its brace depth.
  const templateDepths: number[] = [];
  let braces = 0;
  let previous = ''; // the last significant code character, to tell a regex from a division
  let i = 0;
  const skipQuoted = (quote: string) => {
    i += 1;
    while (i < source.length && source[i] !== quote) {
      if (source[i] === '\\') i += 1;
      else if (source[i] === '\n' && quote !== '`') break;
      i += 1;
    }
    i += 1;
  };
  /** Skips template text up to its end or its next `${`; returns whether it ended. */
  const skipTemplateText = (): boolean => {
    while (i < source.length) {
      const char = source[i];
      if (char === '\\') i += 2;
      else if (char === '`') {
        i += 1;
        return true;
      } else if (char === '$' && source[i + 1] === '{') {
        i += 2;
        return false;
      } else i += 1;
    }
    return true;
  };
  while (i < source.length) {
    const char = source[i] ?? '';
    const next = source[i + 1];
    if (char === '/' && next === '/') {
      const end = source.indexOf('\n', i);
      comments.push(source.slice(i + 2, end < 0 ? source.length : end));
      i = end < 0 ? source.length : end;
    } else if (char === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      comments.push(source.slice(i + 2, end < 0 ? source.length : end));
      i = end < 0 ? source.length : end + 2;
    } else if (char === "'" || char === '"') {
      skipQuoted(char);
      previous = 'a';
    } else if (char === '`') {
      i += 1;
      if (!skipTemplateText()) templateDepths.push(braces);
      previous = 'a';
    } else if (char === '/' && (previous === '' || /[(,=:[!&|?{};+\-*%<>~^]/.test(previous))) {
      // A regular expression literal: up to the closing slash outside a character class.
      let inClass = false;
      i += 1;
      while (i < source.length && source[i] !== '\n') {
        const c = source[i];
        if (c === '\\') i += 1;
        else if (c === '[') inClass = true;
        else if (c === ']') inClass = false;
        else if (c === '/' && !inClass) break;
        i += 1;
      }
      i += 1;
      previous = 'a';
    } else if (char === '{') {
      braces += 1;
      previous = char;
      i += 1;
    } else if (char === '}') {
      if (templateDepths.length > 0 && templateDepths[templateDepths.length - 1] === braces) {
        templateDepths.pop();
        i += 1;
        if (!skipTemplateText()) templateDepths.push(braces);
        previous = 'a';
      } else {
        braces -= 1;
        previous = char;
        i += 1;
      }
    } else if (/[\w$]/.test(char)) {
      // A keyword such as `return` may precede a regex; any other word is an operand.
      WORD.lastIndex = i;
      const word = WORD.exec(source)?.[0] ?? char;
      previous = REGEX_KEYWORDS.has(word) ? '(' : 'a';
      i += word.length;
    } else {
      if (!/\s/.test(char)) previous = char;
      i += 1;
    }
  }
  return comments;
}

/** The Markdown file names a comment mentions, such as `docs/api.md` or `README.md`. */
function markdownNames(comment: string): string[] {
  return [...comment.matchAll(/(?<![\w/.:-])((?:\.{1,2}\/)?[\w./-]*[\w-]\.md)\b/gi)].map(
    (match) => match[1] ?? '',
  );
}

/** A name in a comment is the repository's file of that path, or one beside the commenting file. */
function namedFileExists(fromFile: string, name: string): boolean {
  return existsSync(join(ROOT, name)) || existsSync(resolve(dirname(fromFile), name));
}

describe('the extraction the checks rely on', () => {
  it('finds inline links, images and definitions, and no link inside code', () => {
    const markdown = [
      'See [the API](docs/api.md#errors) and ![widget](images/widget.png "The widget").',
      '[ops]: ./operations.md',
      'Not `[a](missing-in-code.md)`.',
      '```md',
      '[b](missing-in-fence.md)',
      '```',
    ].join('\n');
    expect(linkTargets(markdown)).toEqual([
      'docs/api.md#errors',
      'images/widget.png',
      './operations.md',
    ]);
  });

  it('resolves a link against the linking file, without its anchor, and skips URLs', () => {
    const from = join(ROOT, 'docs', 'decisions', 'record.md');
    expect(linkedFile(from, '../api.md#errors')).toBe(join(ROOT, 'docs', 'api.md'));
    expect(linkedFile(from, 'https://example.com/a.md')).toBeUndefined();
    expect(linkedFile(from, '#context')).toBeUndefined();
  });

  it('reads comments and not strings, templates or regular expressions', () => {
    const source = [
      "const url = 'https://host/in-string.md'; // see docs/api.md",
      // Split so that the placeholder is the sample's, not this string's.
      'const re = /\\/\\*in-regex.md/; const t = `x $' +
        '{y /* in-template-code.md */} in-template.md`;',
      '/** From README.md, "Hot articles". */',
      'const ratio = a / b; // after-division.md',
    ].join('\n');
    expect(commentsOf(source).flatMap(markdownNames)).toEqual([
      'docs/api.md',
      'in-template-code.md',
      'README.md',
      'after-division.md',
    ]);
  });
});

describe('links between the documents', () => {
  const files = markdownFiles();

  it('reads the README and the docs/ reference', () => {
    expect(files.map((file) => relative(ROOT, file))).toContain('README.md');
  });

  it.each(files.map((file) => [relative(ROOT, file), file]))(
    '%s links only to files that exist',
    (_name, file) => {
      const missing = linkTargets(readFileSync(file, 'utf8')).filter((target) => {
        const linked = linkedFile(file, target);
        return linked !== undefined && !existsSync(linked);
      });
      expect(missing).toEqual([]);
    },
  );
});

describe('Markdown files named in code comments', () => {
  const sources = CODE_DIRS.flatMap((dir) =>
    filesUnder(join(ROOT, dir), (path) => CODE_FILE.test(path)),
  );

  it('reads the code', () => {
    expect(sources.length).toBeGreaterThan(100);
  });

  it('names only files that exist', () => {
    const missing = sources.flatMap((file) =>
      commentsOf(readFileSync(file, 'utf8'))
        .flatMap(markdownNames)
        .filter((name) => !namedFileExists(file, name))
        .map((name) => `${relative(ROOT, file)}: ${name}`),
    );
    expect(missing).toEqual([]);
  });
});
