/**
 * talkback.js, the script tag's file: everything a reader sees first (web/widget-build.ts builds it
 * as one classic script, so `defer`, `async`, the end of body and `type="module"` all work) and
 * <talkback-thread>. The API is the element's `api` attribute, else the script tag's `data-api`,
 * else the origin the script was loaded from. The rest comes in chunks on demand (on-demand.ts).
 * Count snippets are count.js's job (web/count/), so index pages need not load the widget; a
 * thread keeps its own article's snippets in step.
 */
import { threadElement } from './thread-element';

// A page that loads the script twice keeps the first definition.
if (!customElements.get('talkback-thread')) {
  customElements.define('talkback-thread', threadElement());
}
