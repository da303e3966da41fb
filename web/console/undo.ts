/**
 * Toasts, and the undo window they hold open: an action can be undone until its toast goes, and
 * a deferred action (a delete) is sent only then, or at once when the page goes away. An error's
 * toast stays until the moderator dismisses it.
 */
import { h } from '../shared/dom';
import { byId } from './dom';
import { state, type Undoable, type UndoRecord } from './state';

/** The undo window when config.json does not name one. */
const DEFAULT_UNDO_SECONDS = 6;

/** How long an action can be undone; a delete is sent only when this has passed. */
const undoMs = (): number => 1000 * (state.config.undoSeconds ?? DEFAULT_UNDO_SECONDS);

export function toast(entry: Undoable): UndoRecord {
  const text = h('span', {}, entry.label);
  const item = h('div', { class: entry.error ? 'toast error' : 'toast' }, text);
  const record: UndoRecord = { entry, toast: item, text, timer: 0 };
  if (entry.undo) {
    // Named for what it undoes: two notices' buttons never sound alike.
    const name = entry.undoes ? { 'aria-label': `Undo (u): ${entry.undoes}` } : {};
    item.append(
      h('button', { type: 'button', ...name, onclick: () => void undo(record) }, 'Undo (u)'),
    );
  }
  if (entry.error) {
    item.append(h('button', { type: 'button', onclick: () => item.remove() }, 'Dismiss'));
    byId('toasts').append(item);
    return record;
  }
  record.timer = window.setTimeout(() => {
    dismiss(record);
    entry.commit?.();
  }, undoMs());
  state.undoables.push(record);
  byId('toasts').append(item);
  return record;
}

/** The toast goes, and its action can no longer be undone. */
export function dismiss(record: UndoRecord): void {
  window.clearTimeout(record.timer);
  const index = state.undoables.indexOf(record);
  if (index >= 0) state.undoables.splice(index, 1);
  record.toast.remove();
}

/**
 * Undoes the last action (or the one whose toast was clicked). Each entry's undo reports its own
 * failure, so this module needs nothing of the queue's.
 */
export async function undo(record = state.undoables[state.undoables.length - 1]): Promise<void> {
  if (!record?.entry.undo) return;
  dismiss(record);
  await record.entry.undo();
}

/** Deferred deletes go out now: when the page is hidden for good, or on sign-out. */
export function flushDeferred(): void {
  for (const record of [...state.undoables]) {
    if (!record.entry.commit) continue;
    dismiss(record);
    record.entry.commit();
  }
}
