/**
 * The widget's entry chunk (web/dist/chunks/widget-<hash>.js), which talkback.js imports: it
 * defines <talkback-thread>. The API is the element's `api` attribute, else the script tag's
 * `data-api`, else the origin the script was loaded from (found by talkback.js, which has the
 * tag). Count snippets are count.js's job (web/count/), so index pages need not load the widget;
 * a thread keeps its own article's snippets in step.
 */
import './core';
import { threadElement } from './thread-element';

/** `base` is talkback.js's URL: the stylesheet and the language files sit next to it. */
export function start(api: string, base: string): void {
  if (!customElements.get('talkback-thread')) {
    customElements.define('talkback-thread', threadElement(api, base));
  }
}
