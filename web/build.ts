/**
 * `npm run build:web`: bundles web/src into one minified IIFE, web/dist/talkback.js, with the
 * styles inside, and prints its raw and gzipped size against the 10 KB (gzipped) budget; and
 * builds the moderation console (web/console) into web/dist/console/.
 */
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Plugin, transform } from 'esbuild';

export const WEB_ROOT = __dirname;
export const WIDGET_FILE = join(WEB_ROOT, 'dist', 'talkback.js');
const BUDGET_GZIP_BYTES = 10 * 1024;

/** `import css from './styles.css'` gives the stylesheet's minified text. */
const cssText: Plugin = {
  name: 'css-text',
  setup(plugin) {
    plugin.onLoad({ filter: /\.css$/ }, async ({ path }) => {
      const { code } = await transform(readFileSync(path, 'utf8'), { loader: 'css', minify: true });
      return { contents: code.trim(), loader: 'text' };
    });
  },
};

export async function buildWidget(): Promise<{ raw: number; gzip: number }> {
  await build({
    entryPoints: [join(WEB_ROOT, 'src', 'talkback.ts')],
    outfile: WIDGET_FILE,
    bundle: true,
    format: 'iife',
    minify: true,
    target: ['es2020', 'chrome90', 'firefox90', 'safari15'],
    legalComments: 'none',
    plugins: [cssText],
    logLevel: 'warning',
  });
  const code = readFileSync(WIDGET_FILE);
  return { raw: code.length, gzip: gzipSync(code, { level: 9 }).length };
}

export const CONSOLE_DIR = join(WEB_ROOT, 'dist', 'console');

/**
 * The console: one script (SigV4 signing included), its page and stylesheet, served as three
 * static files so the page's Content-Security-Policy can forbid inline script and style.
 */
export async function buildConsole(): Promise<{ raw: number; gzip: number }> {
  mkdirSync(CONSOLE_DIR, { recursive: true });
  await build({
    entryPoints: [join(WEB_ROOT, 'console', 'console.ts')],
    outfile: join(CONSOLE_DIR, 'console.js'),
    bundle: true,
    format: 'iife',
    minify: true,
    target: ['es2022', 'chrome100', 'firefox100', 'safari15.4'],
    legalComments: 'none',
    logLevel: 'warning',
  });
  copyFileSync(join(WEB_ROOT, 'console', 'index.html'), join(CONSOLE_DIR, 'index.html'));
  copyFileSync(join(WEB_ROOT, 'console', 'styles.css'), join(CONSOLE_DIR, 'console.css'));
  const code = readFileSync(join(CONSOLE_DIR, 'console.js'));
  return { raw: code.length, gzip: gzipSync(code, { level: 9 }).length };
}

if (require.main === module) {
  buildConsole().then(
    ({ raw, gzip }) =>
      process.stdout.write(
        `web/dist/console/console.js: ${(raw / 1024).toFixed(1)} KB raw, ${(gzip / 1024).toFixed(1)} KB gzipped\n`,
      ),
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exit(1);
    },
  );
  buildWidget().then(
    ({ raw, gzip }) => {
      const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
      process.stdout.write(
        `web/dist/talkback.js: ${kb(raw)} raw, ${kb(gzip)} gzipped (budget ${kb(BUDGET_GZIP_BYTES)} gzipped)\n`,
      );
      if (gzip > BUDGET_GZIP_BYTES) {
        process.stderr.write('The widget is over its size budget.\n');
        process.exit(1);
      }
    },
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exit(1);
    },
  );
}
