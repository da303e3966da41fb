/**
 * `npm run build:web`: bundles each of web/'s scripts (the widget, web/widget/, the count script,
 * web/count/, and the moderation console, web/console/) into one minified IIFE in web/dist/, and
 * prints its raw and gzipped size against its budget. Modules two scripts share live in web/shared/.
 */
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Plugin, transform } from 'esbuild';

interface Entry {
  /** The script's source, under web/. */
  source: string;
  /** Its file, under web/dist/. */
  output: string;
  budgetGzipBytes: number;
  /**
   * Static files served beside it, from web/ to web/dist/: the console's page and stylesheet
   * are files of their own so its Content-Security-Policy can refuse inline script and style.
   */
  copies?: Record<string, string>;
}

/** Every script web/ serves, each its own file and size budget. */
const ENTRIES: Entry[] = [
  { source: 'widget/main.ts', output: 'talkback.js', budgetGzipBytes: 10 * 1024 },
  { source: 'count/main.ts', output: 'count.js', budgetGzipBytes: 1.5 * 1024 },
  // SigV4 signing (@smithy/signature-v4) is most of it: about 11.5 KB gzipped in all.
  {
    source: 'console/console.ts',
    output: 'console/console.js',
    budgetGzipBytes: 16 * 1024,
    copies: {
      'console/index.html': 'console/index.html',
      'console/styles.css': 'console/console.css',
    },
  },
];

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

async function buildEntry(entry: Entry): Promise<{ raw: number; gzip: number }> {
  const outfile = join(__dirname, 'dist', entry.output);
  await build({
    entryPoints: [join(__dirname, entry.source)],
    outfile,
    bundle: true,
    format: 'iife',
    minify: true,
    // Browsers of 2021-22 on: native private fields and optional chaining, no helpers (about
    // 350 bytes gzipped that the one-request view, permalinks and CSP-safe styles needed).
    target: ['chrome94', 'firefox93', 'safari15.4'],
    legalComments: 'none',
    plugins: [cssText],
    logLevel: 'warning',
  });
  for (const [from, to] of Object.entries(entry.copies ?? {})) {
    mkdirSync(dirname(join(__dirname, 'dist', to)), { recursive: true });
    copyFileSync(join(__dirname, from), join(__dirname, 'dist', to));
  }
  const code = readFileSync(outfile);
  return { raw: code.length, gzip: gzipSync(code, { level: 9 }).length };
}

/** Builds every script and reports each one's size; false if any is over its budget. */
async function buildAll(): Promise<boolean> {
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  let withinBudget = true;
  for (const entry of ENTRIES) {
    const { raw, gzip } = await buildEntry(entry);
    const name = `web/dist/${entry.output}`;
    process.stdout.write(
      `${name}: ${kb(raw)} raw, ${kb(gzip)} gzipped (${gzip} bytes) (budget ${kb(entry.budgetGzipBytes)} gzipped)\n`,
    );
    if (gzip > entry.budgetGzipBytes) {
      process.stderr.write(`${name} is over its size budget.\n`);
      withinBudget = false;
    }
  }
  return withinBudget;
}

buildAll().then(
  (withinBudget) => {
    if (!withinBudget) process.exit(1);
  },
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  },
);
