/**
 * The keys (listed by ?): j and k move the cursor, x selects, a, s and d act, f features the
 * comment under the cursor (or stops), b bans and t trusts its author, u undoes.
 */
import { changeCommenter } from './commenter';
import { decide, feature, removeLater } from './decisions';
import { byId } from './dom';
import { picking } from './grounds';
import { render, visible } from './queue-view';
import { state } from './state';
import { undo } from './undo';

/** The selection, or else the comment under the cursor. */
function targets(): string[] {
  if (state.selected.size > 0) return [...state.selected];
  const comment = visible()[state.current];
  return comment ? [comment.id] : [];
}

/** Puts the cursor on row `index` (marked, not focused). */
function mark(index: number): HTMLElement | undefined {
  state.current = index;
  const rows = byId('queue').querySelectorAll<HTMLElement>('.row');
  rows.forEach((row, at) => {
    row.classList.toggle('current', at === index);
  });
  return rows[index];
}

function move(by: number): void {
  const shown = visible();
  if (shown.length === 0) return;
  mark(Math.max(0, Math.min(shown.length - 1, state.current + by)))?.focus();
}

/**
 * The cursor follows a click (or Tab) into a row, so the next key acts on the comment the
 * moderator last touched, not on the one the cursor was on before.
 */
export function onFocusIn(event: FocusEvent): void {
  const row = (event.target as HTMLElement).closest<HTMLElement>('#queue .row');
  if (!row) return;
  const index = [...byId('queue').querySelectorAll('.row')].indexOf(row);
  if (index >= 0 && index !== state.current) mark(index);
}

export function onKey(event: KeyboardEvent): void {
  if (byId('console').hidden || event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target as HTMLElement;
  if (target.closest('input, textarea, select')) return;
  const keys = byId<HTMLDialogElement>('keys');
  if (event.key === '?') {
    if (keys.open) keys.close();
    else keys.showModal();
    return;
  }
  if (keys.open || picking()) return;
  // A key held down acts once, not once per repeat.
  if (event.repeat && 'asdfbt'.includes(event.key)) return;
  const shown = visible();
  switch (event.key) {
    case 'j':
      move(1);
      return;
    case 'k':
      move(-1);
      return;
    case 'x': {
      const comment = shown[state.current];
      if (!comment) return;
      if (state.selected.has(comment.id)) state.selected.delete(comment.id);
      else state.selected.add(comment.id);
      render();
      byId('queue').querySelectorAll<HTMLElement>('.row')[state.current]?.focus();
      return;
    }
    case 'a':
      if (state.status !== 'published' && targets().length > 0) decide(targets(), 'published');
      return;
    case 's':
      if (state.status !== 'spam' && targets().length > 0) decide(targets(), 'spam');
      return;
    case 'd':
      if (targets().length > 0) removeLater(targets());
      return;
    case 'f': {
      // One comment at a time: featuring puts it above the thread, which holds at most ten.
      const comment = shown[state.current];
      if (comment?.status === 'published') void feature(comment);
      return;
    }
    case 'b':
    case 't': {
      // The author of the comment under the cursor, whatever is selected.
      const comment = shown[state.current];
      if (!comment?.commenterId) return;
      const ban = event.key === 'b';
      const change = { state: ban ? ('banned' as const) : ('trusted' as const) };
      void changeCommenter(
        comment.commenterId,
        comment.author.name,
        change,
        ban ? 'banned' : 'trusted',
      );
      return;
    }
    case 'u':
      void undo();
      return;
    default:
      return;
  }
}
