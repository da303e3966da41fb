/**
 * Where a script was loaded from, found while it runs. A module (`type=module`) has no
 * document.currentScript, so the tag is then found by its file name (`file`, e.g. talkback.js);
 * a site that renames the file names the API with `data-api` or the element's `api` attribute.
 */
export const scriptTag = (file: string): HTMLScriptElement | undefined =>
  (document.currentScript as HTMLScriptElement | null) ??
  Array.from(document.scripts).find(
    (tag) => tag.src && new URL(tag.src).pathname.endsWith(`/${file}`),
  );

/**
 * The API a script talks to when the page does not name one: the script tag's `data-api`, else
 * the origin the script was loaded from, else the page's.
 */
export const scriptApi = (script: HTMLScriptElement | undefined): string =>
  script?.dataset.api || (script?.src ? new URL(script.src).origin : location.origin);

/** `Talkback.counts.refresh()` and the like: one global object the page's scripts can call. */
export function talkbackGlobal(): Record<string, unknown> {
  const scope = window as unknown as { Talkback?: Record<string, unknown> };
  scope.Talkback ??= {};
  return scope.Talkback;
}
