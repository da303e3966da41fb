/**
 * A commenter's record (docs/moderation.md, "Commenter records"): opened from an author's name, or
 * by `b` (ban) and `t` (trust) on the comment under the cursor. It shows the counts by status,
 * when they were first seen, their recent comments across articles, the note and the state with
 * who set it when. Every change is a notice with Undo, which puts the state, until and note back.
 */
import type { CommenterView } from '../shared/admin-api';
import { h } from '../shared/dom';
import { byId } from './dom';
import { failed } from './failure';
import { call, state } from './state';
import { toast } from './undo';

type Change = { state: CommenterView['state']; until?: string; note?: string | null };

const DAY_MS = 86_400_000;
const LABELS: Record<CommenterView['state'], string> = {
  normal: 'Normal',
  trusted: 'Trusted',
  suspended: 'Suspended',
  banned: 'Banned',
};
const when = (iso: string) => `${new Date(iso).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

const read = (id: string) =>
  call('GET', `/admin/commenters/${encodeURIComponent(id)}`) as Promise<CommenterView>;
const write = (id: string, change: Change) =>
  call('PUT', `/admin/commenters/${encodeURIComponent(id)}`, change) as Promise<CommenterView>;

/** Reads the record of a comment's author and shows it. */
export async function openCommenter(commenterId: string, name: string): Promise<void> {
  try {
    show(await read(commenterId), name);
  } catch (caught) {
    failed(caught);
  }
}

/** The record as it was, to send back: a suspension already over is put back as normal. */
function restoring(before: CommenterView): Change {
  const suspended =
    before.state === 'suspended' && before.until && Date.parse(before.until) > Date.now();
  if (suspended) return { state: 'suspended', until: before.until as string, note: before.note };
  return { state: before.state === 'suspended' ? 'normal' : before.state, note: before.note };
}

/** Changes the record (read first when it is not the one shown), with a notice to undo it. */
export async function changeCommenter(
  commenterId: string,
  name: string,
  change: Change,
  done: string,
): Promise<void> {
  try {
    const shown = state.commenter;
    const before = shown?.view.commenterId === commenterId ? shown.view : await read(commenterId);
    show(await write(commenterId, change), name);
    toast({
      label: `${name}: ${done}.`,
      undoes: `${done} for ${name}`,
      undo: async () => {
        try {
          show(await write(commenterId, restoring(before)), name);
        } catch (caught) {
          failed(caught);
        }
      },
    });
  } catch (caught) {
    failed(caught);
  }
}

/** The state's buttons: each a change with its notice's words. */
function stateButtons(id: string, name: string, note: string | null): HTMLElement[] {
  const until = (days: number) => new Date(Date.now() + days * DAY_MS).toISOString();
  const choices: [string, string, () => Change][] = [
    ['Normal', 'back to normal', () => ({ state: 'normal', note })],
    ['Trust', 'trusted', () => ({ state: 'trusted', note })],
    ['Suspend 1 day', 'suspended for a day', () => ({ state: 'suspended', until: until(1), note })],
    [
      'Suspend 7 days',
      'suspended for 7 days',
      () => ({ state: 'suspended', until: until(7), note }),
    ],
    ['Ban', 'banned', () => ({ state: 'banned', note })],
  ];
  return choices.map(([text, done, change]) =>
    h(
      'button',
      { type: 'button', onclick: () => void changeCommenter(id, name, change(), done) },
      text,
    ),
  );
}

function show(view: CommenterView, name: string): void {
  state.commenter = { view, name };
  const panel = byId('commenter');
  const id = view.commenterId;
  const set = view.setBy && view.setAt ? `, set by ${view.setBy} at ${when(view.setAt)}` : '';
  const until = view.state === 'suspended' && view.until ? ` until ${when(view.until)}` : '';
  const note = h('textarea', { id: 'commenter-note', rows: '3' }) as HTMLTextAreaElement;
  note.value = view.note ?? '';
  const { published, pending, spam } = view.counts;
  panel.replaceChildren(
    h('h2', { id: 'commenter-title' }, `Commenter: ${name}`),
    h('p', { id: 'commenter-state' }, `${LABELS[view.state]}${until}${set}.`),
    h(
      'div',
      { class: 'actions', role: 'group', 'aria-label': 'State' },
      ...stateButtons(id, name, view.note),
    ),
    h(
      'p',
      { id: 'commenter-counts' },
      `Published ${published}, pending ${pending}, spam ${spam}. `,
      view.firstSeen ? `First seen ${when(view.firstSeen)}.` : 'No comments yet.',
    ),
    h('label', { for: 'commenter-note' }, 'Note'),
    note,
    h(
      'button',
      {
        type: 'button',
        onclick: () => {
          const { state: now, until: end } = view;
          const keep = now === 'suspended' && end ? { until: end } : {};
          void changeCommenter(id, name, { state: now, ...keep, note: note.value }, 'note saved');
        },
      },
      'Save note',
    ),
    h('h3', {}, 'Recent comments'),
    h(
      'ul',
      { class: 'recent' },
      ...view.comments.map((comment) =>
        h(
          'li',
          { dir: 'auto' },
          `${comment.articleId} · ${comment.status}: ${comment.body.slice(0, 140)}`,
        ),
      ),
    ),
    h('button', { type: 'button', onclick: closeCommenter }, 'Close record'),
  );
  panel.hidden = false;
}

export function closeCommenter(): void {
  state.commenter = undefined;
  byId('commenter').hidden = true;
}
