/**
 * Toasts, and the undo window they hold open: an action can be undone until its toast goes, and
 * a deferred action (a delete) is sent only then, or at once when the page goes away.
 */
import { h } from '../shared/dom';
import { byId } from './dom';
import { state, type Undoable, type UndoRecord } from './state';

/** How long an action can be undone; a delete is sent only when this has passed. */
const UNDO_MS = 6000;

export function toast(entry: Undoable): void {
  const box = byId('toasts');
  const item = h('div', { class: 'toast' }, h('span', {}, entry.label));
  const record: UndoRecord = { entry, toast: item, timer: 0 };
  const finish = () => {
    const index = state.undoables.indexOf(record);
    if (index >= 0) state.undoables.splice(index, 1);
    item.remove();
  };
  if (entry.undo) {
    item.append(h('button', { type: 'button', onclick: () => void undo(record) }, 'Undo (u)'));
  }
  record.timer = window.setTimeout(() => {
    finish();
    entry.commit?.();
  }, UNDO_MS);
  state.undoables.push(record);
  box.append(item);
}

/**
 * Undoes the last action (or the one whose toast was clicked). Each entry's undo reports its own
 * failure, so this module needs nothing of the queue's.
 */
export async function undo(record = state.undoables[state.undoables.length - 1]): Promise<void> {
  if (!record?.entry.undo) return;
  window.clearTimeout(record.timer);
  const index = state.undoables.indexOf(record);
  if (index >= 0) state.undoables.splice(index, 1);
  record.toast.remove();
  await record.entry.undo();
}

/** Deferred deletes go out now: when the page is hidden for good, or on sign-out. */
export function flushDeferred(): void {
  for (const record of [...state.undoables]) {
    if (!record.entry.commit) continue;
    window.clearTimeout(record.timer);
    record.toast.remove();
    state.undoables.splice(state.undoables.indexOf(record), 1);
    record.entry.commit();
  }
}
