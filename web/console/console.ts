/**
 * The moderation console: sign-in, the queue in three tabs with counts, actions by click or key
 * with a few seconds to undo, erasure with a count first, closing an article, pins and staff
 * replies. It talks only to the operators' API (api.ts).
 */

import { h } from '../shared/dom';
import { type Auth, createApi, type TemporaryCredentials } from './api';
import { type CognitoConfig, cognitoClient, type SignInStep } from './cognito';
import { byId } from './dom';
import { type AdminComment, renderRow, type Status } from './queue';
import { clearSession, loadSession, saveSession } from './session';

type Config = { apiUrl: string } & ({ auth: 'token' } | ({ auth: 'cognito' } & CognitoConfig));

/** How long an action can be undone; a delete is sent only when this has passed. */
const UNDO_MS = 6000;
const PAGE = 50;
const STATUSES: Status[] = ['pending', 'spam', 'published'];
const LABELS: Record<Status, string> = { pending: 'Pending', spam: 'Spam', published: 'Published' };

interface Undoable {
  label: string;
  /** Absent for a notice that cannot be undone. */
  undo?: () => Promise<void> | void;
  /** Runs when the undo window passes, or at once if the page goes away. */
  commit?: () => void;
}

let config: Config;
let auth: Auth | undefined;
let status: Status = 'pending';
let articleId: string | undefined;
let comments: AdminComment[] = [];
let nextCursor: string | null = null;
let current = 0;
const selected = new Set<string>();
/** Comments whose delete waits out its undo window: hidden, not yet gone. */
const deferred = new Set<string>();
const undoables: { entry: Undoable; timer: number; toast: HTMLElement }[] = [];

const call = (method: string, path: string, body?: unknown, keepalive = false) =>
  createApi(config.apiUrl, () => {
    if (!auth) throw new Error('signed out');
    return auth;
  })(method, path, body, keepalive);

async function main(): Promise<void> {
  config = (await (await fetch('config.json', { credentials: 'omit' })).json()) as Config;
  // Locally the API is this page's own origin ("/").
  config.apiUrl = new URL(config.apiUrl, location.href).href;
  auth = loadSession(sessionStorage);
  byId('sign-out').addEventListener('click', signOut);
  if (auth) showConsole();
  else showSignIn();
}

// ---- sign-in ----

function field(id: string, label: string, type = 'text', autocomplete = 'off') {
  return h(
    'div',
    {},
    h('label', { for: id }, label),
    h('input', { id, name: id, type, autocomplete, required: true }),
  );
}

function showSignIn(step?: SignInStep): void {
  byId('console').hidden = true;
  byId('sign-out').hidden = true;
  byId('sign-in').hidden = false;
  const form = byId<HTMLFormElement>('sign-in-form');
  form.replaceChildren();
  if (config.auth === 'token') {
    form.append(
      h('p', {}, 'Paste the admin token that `npm start` printed.'),
      field('token', 'Admin token', 'password'),
      h('button', { type: 'submit' }, 'Sign in'),
    );
  } else if (!step) {
    form.append(
      field('username', 'Email', 'email', 'username'),
      field('password', 'Password', 'password', 'current-password'),
      h('button', { type: 'submit' }, 'Sign in'),
    );
  } else if (step.kind === 'new-password') {
    form.append(
      h('p', {}, 'Choose a new password to replace the temporary one.'),
      field('new-password', 'New password', 'password', 'new-password'),
      h('button', { type: 'submit' }, 'Set password'),
    );
  } else if (step.kind === 'mfa-setup') {
    form.append(
      h('p', {}, 'Add this key to your authenticator app, then type the code it shows.'),
      h('p', {}, h('code', {}, step.secret)),
      field('code', 'Code', 'text', 'one-time-code'),
      h('button', { type: 'submit' }, 'Verify'),
    );
  } else if (step.kind === 'mfa-code') {
    form.append(
      field('code', 'Code from your authenticator app', 'text', 'one-time-code'),
      h('button', { type: 'submit' }, 'Verify'),
    );
  }
  form.onsubmit = (event) => {
    event.preventDefault();
    void submitSignIn(form, step);
  };
  form.querySelector('input')?.focus();
}

async function submitSignIn(form: HTMLFormElement, step: SignInStep | undefined): Promise<void> {
  const value = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).value.trim();
  const error = byId('sign-in-error');
  error.textContent = '';
  try {
    if (config.auth === 'token') {
      const candidate: Auth = { kind: 'token', token: value('token') };
      // A wrong token is found out now, not on the first action.
      auth = candidate;
      await call('GET', '/admin/counts');
      return signedIn(candidate);
    }
    const cognito = cognitoClient(config);
    let next: SignInStep;
    if (!step) next = await cognito.signIn(value('username'), value('password'));
    else if (step.kind === 'new-password')
      next = await cognito.newPassword(step, value('new-password'));
    else if (step.kind === 'mfa-setup') next = await cognito.mfaSetup(step, value('code'));
    else if (step.kind === 'mfa-code') next = await cognito.mfaCode(step, value('code'));
    else return;
    if (next.kind === 'signed-in') return signedIn(sigv4(next.credentials));
    showSignIn(next);
  } catch (caught) {
    auth = undefined;
    error.textContent = caught instanceof Error ? caught.message : 'Sign-in failed.';
  }
}

function sigv4(credentials: TemporaryCredentials): Auth {
  return { kind: 'sigv4', region: config.auth === 'cognito' ? config.region : '', credentials };
}

function signedIn(session: Auth): void {
  auth = session;
  saveSession(sessionStorage, session);
  showConsole();
}

function signOut(): void {
  flushDeferred();
  auth = undefined;
  clearSession(sessionStorage);
  comments = [];
  selected.clear();
  byId('queue').replaceChildren();
  showSignIn();
}

/** Temporary credentials end; so does the session, back at the sign-in form. */
function expiryCheck(): void {
  if (auth?.kind === 'sigv4' && auth.credentials.expiresAt <= Date.now()) {
    signOut();
    byId('sign-in-error').textContent = 'Your session has ended. Please sign in again.';
  }
}

// ---- the queue ----

function showConsole(): void {
  byId('sign-in').hidden = true;
  byId('console').hidden = false;
  byId('sign-out').hidden = false;
  setInterval(expiryCheck, 30_000);
  void load();
}

function query(extra: Record<string, string> = {}): string {
  const params = new URLSearchParams({ ...extra, ...(articleId ? { articleId } : {}) });
  const text = params.toString();
  return text ? `?${text}` : '';
}

async function load(append = false): Promise<void> {
  try {
    const page = (await call(
      'GET',
      `/admin/comments${query({
        status,
        limit: String(PAGE),
        ...(append && nextCursor ? { cursor: nextCursor } : {}),
      })}`,
    )) as { comments: AdminComment[]; nextCursor: string | null };
    comments = append ? [...comments, ...page.comments] : page.comments;
    nextCursor = page.nextCursor;
    if (!append) {
      current = 0;
      selected.clear();
    }
    render();
    await Promise.all([refreshCounts(), refreshArticle()]);
  } catch (caught) {
    failed(caught);
  }
}

function visible(): AdminComment[] {
  return comments.filter((comment) => !deferred.has(comment.id));
}

function render(): void {
  for (const tab of STATUSES) {
    byId(`tab-${tab}`).setAttribute('aria-selected', String(tab === status));
  }
  const shown = visible();
  current = Math.min(current, Math.max(0, shown.length - 1));
  const queue = byId('queue');
  if (shown.length === 0) {
    queue.replaceChildren(
      h('p', { class: 'empty' }, `No ${LABELS[status].toLowerCase()} comments.`),
    );
  } else {
    const rows = shown.map((comment, index) => {
      const row = renderRow(comment, selected.has(comment.id), rowActions);
      if (index === current) row.classList.add('current');
      return row;
    });
    queue.replaceChildren(
      h('ol', { class: 'rows', 'aria-label': `${LABELS[status]} comments` }, ...rows),
    );
  }
  byId('more').hidden = nextCursor === null;
}

async function refreshCounts(): Promise<void> {
  const { counts, capped } = (await call('GET', `/admin/counts${query()}`)) as {
    counts: Record<Status, number>;
    capped: Status[];
  };
  for (const tab of STATUSES) {
    const count = `${counts[tab]}${capped.includes(tab) ? '+' : ''}`;
    byId(`tab-${tab}`).textContent = `${LABELS[tab]} (${count})`;
  }
}

async function refreshArticle(): Promise<void> {
  const toggle = byId<HTMLButtonElement>('toggle-closed');
  const state = byId('article-state');
  byId('clear-filter').hidden = articleId === undefined;
  if (articleId === undefined) {
    toggle.hidden = true;
    state.textContent = '';
    return;
  }
  const article = (await call('GET', `/admin/articles/${encodeURIComponent(articleId)}`)) as {
    closed: boolean;
    commentCount: number;
  };
  state.textContent = `${article.commentCount} published · ${article.closed ? 'closed to new comments' : 'open to comments'}`;
  toggle.hidden = false;
  toggle.textContent = article.closed ? 'Reopen to comments' : 'Close to new comments';
  toggle.onclick = () => void setClosed(!article.closed);
}

async function setClosed(closed: boolean): Promise<void> {
  if (articleId === undefined) return;
  try {
    await call('PATCH', `/admin/articles/${encodeURIComponent(articleId)}`, { closed });
    toast({
      label: closed ? `Closed ${articleId} to new comments.` : `Reopened ${articleId}.`,
      undo: () => setClosed(!closed),
    });
    await refreshArticle();
  } catch (caught) {
    failed(caught);
  }
}

function failed(caught: unknown): void {
  const status = (caught as { status?: number }).status;
  if (status === 401 || status === 403) {
    signOut();
    byId('sign-in-error').textContent = 'The API refused these credentials. Please sign in again.';
    return;
  }
  toast({ label: caught instanceof Error ? caught.message : 'Something went wrong.' });
}

const plural = (n: number) => `${n} comment${n === 1 ? '' : 's'}`;

const rowActions = {
  decide(ids: string[], to: Status) {
    void decide(ids, to);
  },
  remove(ids: string[]) {
    removeLater(ids);
  },
  pin(comment: AdminComment) {
    void pin(comment);
  },
  reply(comment: AdminComment, row: HTMLElement) {
    openReply(comment, row);
  },
  toggle(id: string, on: boolean) {
    if (on) selected.add(id);
    else selected.delete(id);
  },
};

async function decide(ids: string[], to: Status): Promise<void> {
  const from = status;
  try {
    await Promise.all(ids.map((id) => call('PATCH', `/admin/comments/${id}`, { status: to })));
  } catch (caught) {
    failed(caught);
  }
  for (const id of ids) selected.delete(id);
  comments = comments.filter((comment) => !ids.includes(comment.id));
  render();
  void refreshCounts();
  const verb =
    to === 'published' ? 'Approved' : to === 'spam' ? 'Marked as spam' : 'Moved to pending';
  toast({
    label: `${verb}: ${plural(ids.length)}.`,
    undo: async () => {
      await Promise.all(ids.map((id) => call('PATCH', `/admin/comments/${id}`, { status: from })));
      await load();
    },
  });
}

function removeLater(ids: string[]): void {
  for (const id of ids) {
    deferred.add(id);
    selected.delete(id);
  }
  render();
  toast({
    label: `Deleted: ${plural(ids.length)}.`,
    undo: () => {
      for (const id of ids) deferred.delete(id);
      render();
    },
    commit: () => {
      for (const id of ids) {
        if (!deferred.has(id)) continue;
        deferred.delete(id);
        comments = comments.filter((comment) => comment.id !== id);
        // keepalive: a delete whose window ends as the page closes still goes out.
        call('DELETE', `/admin/comments/${id}`, undefined, true).then(
          () => refreshCounts(),
          failed,
        );
      }
    },
  });
}

async function pin(comment: AdminComment): Promise<void> {
  try {
    const method = comment.pinned ? 'DELETE' : 'PUT';
    await call(method, `/admin/comments/${comment.id}/pin`);
    toast({ label: comment.pinned ? 'Unpinned.' : 'Pinned: shown first to readers.' });
    await load();
  } catch (caught) {
    failed(caught);
  }
}

function openReply(comment: AdminComment, row: HTMLElement): void {
  row.querySelector('.reply-form')?.remove();
  const form = h(
    'form',
    { class: 'reply-form', 'aria-label': `Reply as staff to ${comment.author.name}` },
    h('label', { for: `reply-name-${comment.id}` }, 'Byline'),
    h('input', {
      id: `reply-name-${comment.id}`,
      name: 'name',
      required: true,
      value: 'The editors',
    }),
    h('label', { for: `reply-body-${comment.id}` }, 'Reply'),
    h('textarea', { id: `reply-body-${comment.id}`, name: 'body', rows: '3', required: true }),
    h('div', {}, h('button', { type: 'submit' }, 'Post reply')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const value = (name: string) =>
      (form.elements.namedItem(name) as HTMLInputElement | HTMLTextAreaElement).value;
    call('POST', `/admin/articles/${encodeURIComponent(comment.articleId)}/comments`, {
      name: value('name'),
      body: value('body'),
      parentId: comment.id,
    }).then(() => {
      toast({ label: 'Reply posted as staff.' });
      return load();
    }, failed);
  });
  row.append(form);
  form.querySelector('textarea')?.focus();
}

// ---- undo ----

function toast(entry: Undoable): void {
  const box = byId('toasts');
  const item = h('div', { class: 'toast' }, h('span', {}, entry.label));
  const record = { entry, toast: item, timer: 0 };
  const finish = () => {
    const index = undoables.indexOf(record);
    if (index >= 0) undoables.splice(index, 1);
    item.remove();
  };
  if (entry.undo) {
    item.append(h('button', { type: 'button', onclick: () => void undo(record) }, 'Undo (u)'));
  }
  record.timer = window.setTimeout(() => {
    finish();
    entry.commit?.();
  }, UNDO_MS);
  undoables.push(record);
  box.append(item);
}

async function undo(record = undoables[undoables.length - 1]): Promise<void> {
  if (!record?.entry.undo) return;
  window.clearTimeout(record.timer);
  const index = undoables.indexOf(record);
  if (index >= 0) undoables.splice(index, 1);
  record.toast.remove();
  try {
    await record.entry.undo();
  } catch (caught) {
    failed(caught);
  }
  void refreshCounts();
}

/** Deferred deletes go out now: when the page is hidden for good, or on sign-out. */
function flushDeferred(): void {
  for (const record of [...undoables]) {
    if (!record.entry.commit) continue;
    window.clearTimeout(record.timer);
    record.toast.remove();
    undoables.splice(undoables.indexOf(record), 1);
    record.entry.commit();
  }
}

// ---- keys and controls ----

function targets(): string[] {
  if (selected.size > 0) return [...selected];
  const comment = visible()[current];
  return comment ? [comment.id] : [];
}

function move(by: number): void {
  const shown = visible();
  if (shown.length === 0) return;
  current = Math.max(0, Math.min(shown.length - 1, current + by));
  const rows = byId('queue').querySelectorAll<HTMLElement>('.row');
  rows.forEach((row, index) => {
    row.classList.toggle('current', index === current);
  });
  rows[current]?.focus();
}

function onKey(event: KeyboardEvent): void {
  if (byId('console').hidden || event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target as HTMLElement;
  if (target.closest('input, textarea, select')) return;
  const keys = byId<HTMLDialogElement>('keys');
  if (event.key === '?') {
    if (keys.open) keys.close();
    else keys.showModal();
    return;
  }
  if (keys.open) return;
  const shown = visible();
  switch (event.key) {
    case 'j':
      move(1);
      return;
    case 'k':
      move(-1);
      return;
    case 'x': {
      const comment = shown[current];
      if (!comment) return;
      if (selected.has(comment.id)) selected.delete(comment.id);
      else selected.add(comment.id);
      render();
      byId('queue').querySelectorAll<HTMLElement>('.row')[current]?.focus();
      return;
    }
    case 'a':
      if (status !== 'published' && targets().length > 0) void decide(targets(), 'published');
      return;
    case 's':
      if (status !== 'spam' && targets().length > 0) void decide(targets(), 'spam');
      return;
    case 'd':
      if (targets().length > 0) removeLater(targets());
      return;
    case 'u':
      void undo();
      return;
    default:
      return;
  }
}

function wire(): void {
  document.addEventListener('keydown', onKey);
  for (const tab of STATUSES) {
    byId(`tab-${tab}`).addEventListener('click', () => {
      status = tab;
      void load();
    });
  }
  byId('more').addEventListener('click', () => void load(true));
  byId('select-all').addEventListener('click', () => {
    for (const comment of visible()) selected.add(comment.id);
    render();
  });
  byId('bulk-approve').addEventListener('click', () => {
    if (selected.size > 0) void decide([...selected], 'published');
  });
  byId('bulk-spam').addEventListener('click', () => {
    if (selected.size > 0) void decide([...selected], 'spam');
  });
  byId('bulk-delete').addEventListener('click', () => {
    if (selected.size > 0) removeLater([...selected]);
  });
  byId('show-keys').addEventListener('click', () => byId<HTMLDialogElement>('keys').showModal());
  byId('close-keys').addEventListener('click', () => byId<HTMLDialogElement>('keys').close());
  byId<HTMLFormElement>('filter').addEventListener('submit', (event) => {
    event.preventDefault();
    const value = byId<HTMLInputElement>('article-filter').value.trim();
    articleId = value === '' ? undefined : value;
    void load();
  });
  byId('clear-filter').addEventListener('click', () => {
    byId<HTMLInputElement>('article-filter').value = '';
    articleId = undefined;
    void load();
  });
  byId<HTMLFormElement>('erase-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void checkErasure(byId<HTMLInputElement>('erase-email').value.trim());
  });
  window.addEventListener('pagehide', flushDeferred);
}

async function checkErasure(email: string): Promise<void> {
  const box = byId('erase-confirm');
  box.replaceChildren();
  try {
    const { comments: count } = (await call(
      'GET',
      `/admin/erasures?${new URLSearchParams({ email })}`,
    )) as { comments: number };
    if (count === 0) {
      box.append(h('p', { role: 'status' }, 'No comments by that address.'));
      return;
    }
    const confirm = h('button', { type: 'button' }, `Erase ${plural(count)}`);
    box.append(
      h(
        'p',
        { role: 'status' },
        `This removes the author’s details from ${plural(count)}. It cannot be undone.`,
      ),
      confirm,
      h('button', { type: 'button', onclick: () => box.replaceChildren() }, 'Cancel'),
    );
    confirm.addEventListener('click', () => {
      call('POST', '/admin/erasures', { email }).then((answer) => {
        const { erased } = answer as { erased: number };
        box.replaceChildren(
          h('p', { role: 'status' }, `Erased the author’s details from ${plural(erased)}.`),
        );
        byId<HTMLInputElement>('erase-email').value = '';
        return load();
      }, failed);
    });
    confirm.focus();
  } catch (caught) {
    const message = caught instanceof Error ? caught.message : 'The check failed.';
    box.append(h('p', { class: 'error', role: 'alert' }, message));
  }
}

wire();
main().catch((caught: unknown) => {
  byId('sign-in').hidden = false;
  byId('sign-in-error').textContent =
    caught instanceof Error
      ? `The console could not start: ${caught.message}`
      : 'The console could not start.';
});
