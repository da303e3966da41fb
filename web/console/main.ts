/**
 * The moderation console: sign-in, the queue in three tabs with counts and a Reported tab, actions by click or key
 * with a few seconds to undo, erasure with a count first, closing an article, pins and staff
 * replies. It talks only to the operators' API (api.ts). This module starts it and wires the
 * page's controls; the state is state.ts's one object, and each view is a module of its own.
 */

import { readAddress } from './address';
import { openCommenter } from './commenter';
import { decide, removeLater, rowActions } from './decisions';
import { byId } from './dom';
import { checkErasure } from './erasure';
import { openHouseRules, saveHouseRules } from './house-rules';
import { onFocusIn, onKey } from './keyboard';
import { load, render, STATUSES, showConsole, visible } from './queue-view';
import { loadSession } from './session';
import { expiryCheck, showSignIn, signOut } from './sign-in';
import { type Config, state } from './state';
import { flushDeferred } from './undo';

async function main(): Promise<void> {
  const config = (await (await fetch('config.json', { credentials: 'omit' })).json()) as Config;
  // The API is this page's own origin ("/"): locally, and on AWS through the CDN.
  config.apiUrl = new URL(config.apiUrl, location.href).href;
  state.config = config;
  state.auth = loadSession(sessionStorage);
  readAddress();
  byId('sign-out').addEventListener('click', signOut);
  setInterval(expiryCheck, 30_000);
  if (state.auth) showConsole();
  else showSignIn();
}

function wire(): void {
  state.afterSignIn = showConsole;
  state.rowActions = {
    ...rowActions,
    commenter: (comment) => {
      if (comment.commenterId) void openCommenter(comment.commenterId, comment.author.name);
    },
  };
  document.addEventListener('keydown', onKey);
  byId('queue').addEventListener('focusin', onFocusIn);
  for (const tab of STATUSES) {
    byId(`tab-${tab}`).addEventListener('click', () => {
      state.status = tab;
      state.reported = false;
      void load();
    });
  }
  byId('tab-reported').addEventListener('click', () => {
    state.status = 'pending';
    state.reported = true;
    void load();
  });
  byId('more').addEventListener('click', () => void load(true));
  byId('select-all').addEventListener('click', () => {
    for (const comment of visible()) state.selected.add(comment.id);
    render();
  });
  byId('bulk-approve').addEventListener('click', () => {
    if (state.selected.size > 0) decide([...state.selected], 'published');
  });
  byId('bulk-spam').addEventListener('click', () => {
    if (state.selected.size > 0) decide([...state.selected], 'spam');
  });
  byId('bulk-delete').addEventListener('click', () => {
    if (state.selected.size > 0) removeLater([...state.selected]);
  });
  byId('show-keys').addEventListener('click', () => byId<HTMLDialogElement>('keys').showModal());
  byId('close-keys').addEventListener('click', () => byId<HTMLDialogElement>('keys').close());
  byId<HTMLFormElement>('filter').addEventListener('submit', (event) => {
    event.preventDefault();
    const value = byId<HTMLInputElement>('article-filter').value.trim();
    state.articleId = value === '' ? undefined : value;
    void load();
  });
  byId('clear-filter').addEventListener('click', () => {
    byId<HTMLInputElement>('article-filter').value = '';
    state.articleId = undefined;
    void load();
  });
  byId<HTMLFormElement>('erase-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void checkErasure(byId<HTMLInputElement>('erase-email').value.trim());
  });
  byId<HTMLDetailsElement>('house-rules').addEventListener('toggle', (event) => {
    if ((event.target as HTMLDetailsElement).open) void openHouseRules();
  });
  byId<HTMLFormElement>('house-rules-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void saveHouseRules();
  });
  window.addEventListener('pagehide', flushDeferred);
}

wire();
main().catch((caught: unknown) => {
  byId('sign-in').hidden = false;
  byId('sign-in-error').textContent =
    caught instanceof Error
      ? `The console could not start: ${caught.message}`
      : 'The console could not start.';
});
