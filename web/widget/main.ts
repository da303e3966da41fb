/**
 * The embeddable widget's entry (web/dist/talkback.js): one script tag defines <talkback-thread>.
 * The API is the element's `api` attribute, else the script tag's `data-api`, else the origin the
 * script was loaded from. Classic, async, defer, module or added later: each way of loading finds
 * the same API (shared/script-api.ts). Count snippets are count.js's job (web/count/), so index
 * pages need not load the widget; a thread keeps its own article's snippets in step.
 */
import { scriptApi } from '../shared/script-api';
import { threadElement } from './thread-element';

if (!customElements.get('talkback-thread')) {
  // The language files sit next to the script; a module has no currentScript, so find it by name.
  const source =
    (document.currentScript as HTMLScriptElement | null)?.src ||
    Array.from(document.scripts).find((tag) => /\/talkback\.js$/.test(tag.src))?.src ||
    location.href;
  customElements.define('talkback-thread', threadElement(scriptApi('talkback.js'), source));
}
