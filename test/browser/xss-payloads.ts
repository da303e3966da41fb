/** Markup that would run script if a page ever parsed a comment's fields as HTML. */
export const PWN = 'window.__pwned=1';
export const XSS_NAME = `<img src=x onerror="${PWN}">Eve`;
export const XSS_BODY = `<script>${PWN}</script><img src=x onerror=${PWN}><a href="javascript:${PWN}">x</a>`;
// No spaces (the server refuses them in a website): `/` separates the attributes instead.
export const XSS_WEBSITE = `https://eve.example/?q="><img/src=x/onerror=${PWN}>`;
