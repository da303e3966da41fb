/**
 * The widget's build (run by web/build.ts). talkback.js is everything a reader sees first, one
 * classic script (web/widget/main.ts). Every part loaded on demand (BUDGETS.chunks: a module of
 * web/widget/ each) is an ES module in web/dist/chunks/, named by its content's hash, with no
 * import of its own: what it takes from the first view (web/widget/core.ts) talkback.js hands it
 * as it loads it (web/widget/on-demand.ts). So a chunk never waits on another file, and a chunk
 * that failed to load can be asked for again under a fresh URL. The build fails when talkback.js,
 * a chunk, or the whole passes its budget (docs/widget.md gives the figures).
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type BuildOptions, build, type Metafile, type Plugin } from 'esbuild';

/** What every web/ script is built with. */
export const BUILD_OPTIONS: BuildOptions = {
  bundle: true,
  minify: true,
  // Browsers of 2021-22 on: native private fields, optional chaining and import(), no helpers.
  target: ['chrome94', 'firefox93', 'safari15.4'],
  // Internal state objects name their properties with a trailing underscore (`listed_`): the
  // minifier shortens those; API data, DOM and stored JSON never end in one.
  mangleProps: /_$/,
  legalComments: 'none',
  // "…" and the like as themselves, not \u2026 escapes.
  charset: 'utf8',
  logLevel: 'warning',
};

/**
 * The chunks' Cache-Control, on the CDN (lib/edge-widget.ts) and from the local server: their
 * names change with their content, so a browser keeps each for a year without asking again.
 */
export const CHUNK_CACHE_CONTROL = 'public, max-age=31536000, immutable';

const WIDGET = join(__dirname, 'widget');
const DIST = join(__dirname, 'dist');
const CHUNKS = join(DIST, 'chunks');

/** Gzipped bytes. */
export const BUDGETS = {
  /**
   * talkback.js: all a reader loads before the footer is drawn (the language file, JSON, comes
   * on top). What it leaves (docs/widget.md: 215 bytes once sign-in's marks and badges took 208)
   * is for what the next features must draw at once (likes and Top); the rest of theirs are chunks.
   */
  firstView: 7 * 1024,
  /** Everything: talkback.js and every chunk. */
  total: 20 * 1024,
  /**
   * The chunks, each a module of web/widget/ by its name (write.ts and what it imports, and so
   * on): room for the next features' chunks (likes, reports) within the total. A signed-in
   * reader's form is in write.
   */
  chunks: {
    write: 6 * 1024,
    paging: 1024,
    'deep-link': 1024,
  } as Record<string, number>,
};

export interface WidgetFile {
  /** Under web/dist/. */
  file: string;
  gzip: number;
  raw: number;
  budget: number;
}

const measure = (file: string, budget: number): WidgetFile => {
  const code = readFileSync(join(DIST, file));
  return { file, raw: code.length, gzip: gzipSync(code, { level: 9 }).length, budget };
};

const underDist = (output: string) => relative(DIST, output).split('\\').join('/');

/** What web/dist holds of the widget: talkback.js first, then each chunk, with its budget. */
export function measureWidget(): WidgetFile[] {
  const chunks = readdirSync(CHUNKS)
    .filter((file) => file.endsWith('.js'))
    .sort();
  return [
    measure('talkback.js', BUDGETS.firstView),
    ...chunks.map((file) => {
      const budget = BUDGETS.chunks[/^(.+)-[A-Z0-9]+\.js$/.exec(file)?.[1] ?? ''];
      if (budget === undefined) throw new Error(`chunks/${file}: no budget in web/widget-build.ts`);
      return measure(`chunks/${file}`, budget);
    }),
  ];
}

/** The names web/widget/core.ts exports: what the chunks take from the first view. */
async function coreNames(): Promise<string[]> {
  const { metafile } = await build({
    ...BUILD_OPTIONS,
    entryPoints: [join(WIDGET, 'core.ts')],
    format: 'esm',
    write: false,
    outdir: DIST,
    metafile: true,
  });
  return Object.values(metafile.outputs).flatMap((output) => output.exports);
}

/**
 * In a chunk, `./core` is not the first view's modules again but their bindings, filled in by
 * `bind(first)` before the chunk is used; each chunk's entry is its module plus that `bind`.
 */
function fromFirstView(names: string[]): Plugin {
  const list = names.join(', ');
  return {
    name: 'talkback-first-view',
    setup(esbuild) {
      esbuild.onResolve({ filter: /^chunk:/ }, ({ path }) => ({
        path: path.slice('chunk:'.length),
        namespace: 'chunk',
      }));
      esbuild.onLoad({ filter: /.*/, namespace: 'chunk' }, ({ path }) => ({
        contents: `export * from './${path}';\nexport { bind } from './core';\n`,
        resolveDir: WIDGET,
        loader: 'ts',
      }));
      esbuild.onResolve({ filter: /^\.\/core$/ }, ({ resolveDir }) =>
        resolveDir === WIDGET ? { path: 'core', namespace: 'first-view' } : undefined,
      );
      esbuild.onLoad({ filter: /.*/, namespace: 'first-view' }, () => ({
        contents: `export let ${list};\nexport function bind(first) {\n  ({ ${list} } = first);\n}\n`,
        loader: 'js',
      }));
    },
  };
}

/** A source file both in talkback.js and in a chunk: two copies of one module's state. */
function sharedModules(first: Metafile, chunks: Metafile): string[] {
  const inFirstView = new Set(Object.keys(first.inputs));
  return Object.keys(chunks.inputs).filter((input) => inFirstView.has(input));
}

/** Builds the chunks, then talkback.js with their names; prints sizes; false if over budget. */
export async function buildWidget(): Promise<boolean> {
  // Only this release's chunks: an old one left here would be measured and deployed again.
  rmSync(CHUNKS, { recursive: true, force: true });
  const names = Object.keys(BUDGETS.chunks);
  const chunks = await build({
    ...BUILD_OPTIONS,
    entryPoints: Object.fromEntries(names.map((name) => [name, `chunk:${name}`])),
    outdir: CHUNKS,
    format: 'esm',
    entryNames: '[name]-[hash]',
    metafile: true,
    // Recorded here and used for talkback.js: both sides name a shared object's fields alike.
    mangleCache: {},
    plugins: [fromFirstView(await coreNames())],
  });
  const files: Record<string, string> = {};
  for (const output of Object.keys(chunks.metafile.outputs)) {
    const name = /([\w-]+)-[A-Z0-9]+\.js$/.exec(output)?.[1];
    if (name) files[name] = underDist(output);
  }
  const first = await build({
    ...BUILD_OPTIONS,
    entryPoints: [join(WIDGET, 'main.ts')],
    outfile: join(DIST, 'talkback.js'),
    format: 'iife',
    define: { TALKBACK_CHUNKS: JSON.stringify(files) },
    metafile: true,
    mangleCache: chunks.mangleCache,
  });
  const shared = sharedModules(first.metafile, chunks.metafile);
  if (shared.length > 0) {
    throw new Error(
      `${shared.join(', ')}: in talkback.js and in a chunk; a chunk takes the first view's modules from web/widget/core.ts`,
    );
  }
  return report(measureWidget());
}

function report(files: WidgetFile[]): boolean {
  const total = files.reduce((sum, file) => sum + file.gzip, 0);
  let within = true;
  const line = (name: string, gzip: number, budget: number, raw: number) => {
    const over = gzip > budget;
    within &&= !over;
    process.stdout.write(
      `${name}: ${raw} raw, ${gzip} bytes gzipped (budget ${budget})${over ? ' OVER BUDGET' : ''}\n`,
    );
  };
  const [first] = files;
  for (const file of files) line(`web/dist/${file.file}`, file.gzip, file.budget, file.raw);
  if (first) line('widget first view (talkback.js)', first.gzip, BUDGETS.firstView, first.raw);
  const raw = files.reduce((sum, file) => sum + file.raw, 0);
  line('widget total (talkback.js + every chunk)', total, BUDGETS.total, raw);
  if (!within) process.stderr.write('The widget is over its size budget.\n');
  return within;
}
