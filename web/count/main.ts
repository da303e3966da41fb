/**
 * The count script for index pages (web/dist/count.js): fills `data-talkback-count` snippets
 * without loading the widget. Its API is the script tag's `data-api`, else its own origin.
 */
import { createApi } from '../shared/api';
import { scriptApi, scriptTag, talkbackGlobal } from '../shared/script-api';
import { countsOf, startCounts } from './counts';

startCounts(countsOf(createApi(scriptApi(scriptTag('count.js')))), talkbackGlobal());
