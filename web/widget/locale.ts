/**
 * Which language a thread speaks and where its strings come from: the element's `lang`, else the
 * page's `<html lang>`, else English. English is built in; every other language is a small file
 * next to the script (locales/<lang>.json), fetched once per page when a thread needs it. A site's
 * `<script type="application/json" data-talkback-strings>` blocks override any entry.
 */
import { compile, en, type Strings, type Table } from './strings';

const files: Record<string, Promise<Partial<Table> | undefined>> = {};

export const languageOf = (element: HTMLElement) =>
  element.getAttribute('lang') || document.documentElement.lang || 'en';

export const direction = (lang: string) => (/^(ar|fa|he|ur)\b/i.test(lang) ? 'rtl' : 'ltr');

/**
 * The strings for `lang`, with the page's overrides. A language without a file (web/build.ts
 * writes one per web/widget/locales/ module), or whose file cannot be loaded, falls back to
 * English (with English plural rules and dates).
 */
export async function loadStrings(lang: string, base: string): Promise<Strings> {
  // Only English is built in; a language with no file (a 404) is English too.
  let file = /^[a-z]{2,3}\b/i.exec(lang)?.[0].toLowerCase();
  if (file === 'en') file = '';
  if (file && !files[file]) {
    files[file] = fetch(new URL(`locales/${file}.json`, base)).then(
      (response) => (response.ok ? response.json() : undefined),
      () => undefined,
    );
  }
  const table = file && (await files[file]);
  const used = table ? lang : 'en';
  return compile({ ...en, ...table, ...overrides() }, used);
}

/**
 * The page's overrides: every data-talkback-strings block, in page order, over the language the
 * thread speaks (`lang`: English when its file could not be had). A block that is not JSON is
 * skipped.
 */
function overrides(): Partial<Table> {
  let table = {};
  for (const block of document.querySelectorAll<HTMLScriptElement>(
    'script[type="application/json"][data-talkback-strings]',
  )) {
    try {
      table = { ...table, ...JSON.parse(block.text) };
    } catch {
      // A broken block must not stop the thread.
    }
  }
  return table;
}
