/**
 * What the on-demand chunks take from the first view: the one door between them. A chunk imports
 * these names from here; web/widget-build.ts builds each chunk with no import of its own and
 * talkback.js hands it these bindings as it loads it (on-demand.ts), so a chunk shares the first
 * view's state (the strings in use, the ids handed out, storage's fallback) and its ApiError (for
 * `instanceof`). The build fails if a chunk bundles any other first-view module.
 */
export { ApiError, articlePath } from '../shared/api';
export { h, safeHttpUrl, uniqueId } from '../shared/dom';
export { OWN_KEY, read, write } from '../shared/storage';
export { linkButton } from './link-button';
export { focusIn } from './list-panel';
export { strings } from './strings';
