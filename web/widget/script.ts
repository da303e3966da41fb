/**
 * talkback.js's own tag, found while the script runs (so before anything waits), and what it
 * says: the API when the element names none, and the script's URL, next to which its stylesheet,
 * language files and chunks sit.
 */
import { scriptApi, scriptTag } from '../shared/script-api';

const tag = scriptTag('talkback.js');

/** The script tag's `data-api`, else the origin the script was loaded from. */
export const defaultApi = scriptApi(tag);

/** talkback.js's URL (the page's, if the tag cannot be found). */
export const base = tag?.src || location.href;
