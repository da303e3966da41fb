/**
 * `npm run build:web`: bundles web/src into one minified IIFE, web/dist/talkback.js, with the
 * styles inside, and prints its raw and gzipped size against the 10 KB (gzipped) budget.
 */
import { readFileSync } from 'node:fs';
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

if (require.main === module) {
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
