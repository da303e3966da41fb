/**
 * talkback.js, the script tag's file: a classic script (so `defer`, `async`, the end of body and
 * `type="module"` all work) that imports the widget's first-view chunks from `chunks/` next to
 * itself and starts the widget. The chunks' names carry their content's hash (web/build.ts writes
 * them in here), so this small file is the only one with a short cache, and an old talkback.js
 * only ever loads the chunks of its own release.
 */
import { scriptApi } from '../shared/script-api';

/** The entry chunk, and the chunks it imports, under web/dist/: filled in by web/build.ts. */
declare const TALKBACK_ENTRY: string;
declare const TALKBACK_IMPORTS: string[];

// A module has no currentScript, so the tag is found by its file name, as scriptApi does.
const script =
  (document.currentScript as HTMLScriptElement | null) ??
  Array.from(document.scripts).find((tag) => /\/talkback\.js$/.test(tag.src));
const base = script?.src || location.href;
const api = scriptApi('talkback.js');
const chunk = (file: string) => import(new URL(file, base).href);
// The entry's own imports are asked for at once, not after the entry arrives: one round trip.
for (const file of TALKBACK_IMPORTS) chunk(file).catch(() => {});
chunk(TALKBACK_ENTRY).then(
  (entry: { start(api: string, base: string): void }) => entry.start(api, base),
  (error: unknown) => console.error('Talkback could not load its script', error),
);
