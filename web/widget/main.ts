/**
 * The embeddable widget's entry (web/dist/talkback.js): one script tag defines <talkback-thread>
 * and fills the page's comment count snippets. The API is the element's `api` attribute, else
 * the script tag's `data-api`, else the origin the script was loaded from.
 */
import { fillCounts } from '../count/counts';
import { createApi } from '../shared/api';
import { threadElement } from './thread-element';

const script = document.currentScript as HTMLScriptElement | null;
const defaultApi =
  script?.dataset.api || (script?.src ? new URL(script.src).origin : location.origin);

if (!customElements.get('talkback-thread')) {
  customElements.define('talkback-thread', threadElement(defaultApi));
  const counts = () => fillCounts(createApi(defaultApi));
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', counts);
  else counts();
}
