/**
 * `npm run build:web`: bundles web/'s scripts into web/dist/ and prints each one's raw and gzipped
 * size against its budget. The widget (web/widget/) is split (widget-build.ts): talkback.js and
 * content-hashed chunks in web/dist/chunks/. The count script (web/count/) and the moderation
 * console (web/console/) are one minified IIFE each. The widget's styles become
 * web/dist/talkback.css, which it links from next to its script. Modules two scripts share live
 * in web/shared/. Each language of web/widget/locales/ becomes web/dist/locales/<lang>.json,
 * fetched by the widget when needed.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, transform } from 'esbuild';
import { BUILD_OPTIONS, buildWidget } from './widget-build';

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
  { source: 'count/main.ts', output: 'count.js', budgetGzipBytes: 1.5 * 1024 },
  // SigV4 signing (@smithy/signature-v4) is most of it: about 11.5 KB gzipped in all. 16 KB until
  // the console gained the Reported tab, house rules, commenters' records and the removal's ground
  // (16,462 bytes with all four); an operator loads it once per session, from the CDN.
  {
    source: 'console/main.ts',
    output: 'console/console.js',
    budgetGzipBytes: 20 * 1024,
    copies: {
      'console/index.html': 'console/index.html',
      'console/styles.css': 'console/console.css',
    },
  },
];

/**
 * The widget's stylesheet, minified, as web/dist/talkback.css: the widget links it into each
 * thread's shadow root from next to its script, so its bytes are not the script's.
 */
async function buildStyles(): Promise<{ raw: number; gzip: number }> {
  const source = readFileSync(join(__dirname, 'widget', 'styles.css'), 'utf8');
  const { code } = await transform(source, { loader: 'css', minify: true });
  // esbuild keeps the spaces after a custom property's colon, after commas and around `/`.
  const tight = code.trim().replace(/([:,]) | (\/) /g, '$1$2');
  writeFileSync(join(__dirname, 'dist', 'talkback.css'), tight);
  return { raw: tight.length, gzip: gzipSync(tight, { level: 9 }).length };
}

async function buildEntry(entry: Entry): Promise<{ raw: number; gzip: number }> {
  const outfile = join(__dirname, 'dist', entry.output);
  await build({
    entryPoints: [join(__dirname, entry.source)],
    outfile,
    format: 'iife',
    ...BUILD_OPTIONS,
  });
  for (const [from, to] of Object.entries(entry.copies ?? {})) {
    mkdirSync(dirname(join(__dirname, 'dist', to)), { recursive: true });
    copyFileSync(join(__dirname, from), join(__dirname, 'dist', to));
  }
  const code = readFileSync(outfile);
  return { raw: code.length, gzip: gzipSync(code, { level: 9 }).length };
}

/** Each locale module's table as JSON, checked against the English keys; the largest's size. */
async function buildLocales(): Promise<{ files: number; largestGzip: number }> {
  const folder = join(__dirname, 'widget', 'locales');
  const out = join(__dirname, 'dist', 'locales');
  mkdirSync(out, { recursive: true });
  const { en: first } = await import('./widget/strings');
  const { formEn } = await import('./widget/form-strings');
  const { reportEn } = await import('./widget/report-strings');
  const en = { ...first, ...formEn, ...reportEn };
  let largestGzip = 0;
  const files = readdirSync(folder).filter((file) => file.endsWith('.ts'));
  for (const file of files) {
    const table = ((await import(join(folder, file))) as { default: Record<string, unknown> })
      .default;
    const missing = Object.keys(en).filter((key) => !(key in table));
    const unknown = Object.keys(table).filter((key) => !(key in en));
    if (missing.length > 0 || unknown.length > 0) {
      throw new Error(
        `${file}: missing ${missing.join(', ') || '-'}; unknown ${unknown.join(', ') || '-'}`,
      );
    }
    const json = JSON.stringify(table);
    writeFileSync(join(out, `${basename(file, '.ts')}.json`), json);
    largestGzip = Math.max(largestGzip, gzipSync(json, { level: 9 }).length);
  }
  return { files: files.length, largestGzip };
}

/** Builds every script and reports each one's size; false if any is over its budget. */
async function buildAll(): Promise<boolean> {
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  let withinBudget = true;
  const locales = await buildLocales();
  process.stdout.write(
    `web/dist/locales/: ${locales.files} languages, largest ${kb(locales.largestGzip)} gzipped\n`,
  );
  const styles = await buildStyles();
  process.stdout.write(
    `web/dist/talkback.css: ${kb(styles.raw)} raw, ${kb(styles.gzip)} gzipped (${styles.gzip} bytes)\n`,
  );
  withinBudget = (await buildWidget()) && withinBudget;
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
