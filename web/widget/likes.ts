/**
 * Like, and press again to take the like back: a chunk of its own, asked for as the thread opens.
 * The press shows at once (count and `aria-pressed`); the API's answer then sets the count, or,
 * if the request failed, the comment goes back to what it showed and the status line says why.
 * A press while a request is on its way is made once the answer is in (two cancel out).
 * The API counts one like per visitor, or per signed-in reader's `sub`; this browser remembers
 * the comments it liked (storage's LIKES_KEY) as it remembers its reaction, since the thread is
 * the same for every reader and cannot say.
 */
import type { Comment } from '../shared/api';
import { ApiError, LIKES_KEY, liked, read, strings, visitorId, write } from './core';
import type { ListContext } from './thread-state';

/** Likes remembered, newest last; the oldest make way. */
const MAX_LIKES = 500;

/** Comments with a like request on its way, and those pressed again meanwhile (an odd time). */
const sending = new Set<string>();
const again = new Set<string>();

function remember(id: string, on: boolean): void {
  let ids: unknown = [];
  try {
    ids = JSON.parse(read(LIKES_KEY) ?? '[]');
  } catch {
    // A damaged list starts again.
  }
  const kept = (Array.isArray(ids) ? ids : []).filter(
    (other): other is string => typeof other === 'string' && other !== id,
  );
  if (on) kept.push(id);
  write(LIKES_KEY, kept[0] ? JSON.stringify(kept.slice(-MAX_LIKES)) : null);
}

interface Liked {
  likes: number;
  liked: boolean;
}

export async function like(list: ListContext, comment: Comment): Promise<void> {
  const { id } = comment;
  // Pressed again before the answer: that press is made once it is in.
  if (sending.has(id)) {
    if (!again.delete(id)) again.add(id);
    return;
  }
  sending.add(id);
  const focus = `talkback-like-${id}`;
  // Focus stays on the button when the thread is drawn again, unless the reader moved on.
  const draw = () => {
    const active = (list.panel.thread_.getRootNode() as ShadowRoot).activeElement;
    list.render_(active?.id === focus ? focus : undefined);
  };
  const was = liked(id);
  const before = Math.max(comment.likes ?? 0, +was);
  comment.likes = Math.max(0, before + (was ? -1 : 1));
  remember(id, !was);
  list.panel.status.textContent = '';
  draw();
  const reader = list.token_();
  const path = `/comments/${encodeURIComponent(id)}/likes`;
  try {
    const answer = await (was
      ? list.api.call_<Liked>(
          `${path}?visitorId=${encodeURIComponent(visitorId())}`,
          'DELETE',
          reader ? { reader } : undefined,
        )
      : list.api.call_<Liked>(path, 'PUT', { visitorId: visitorId(), reader }));
    comment.likes = answer.likes;
    remember(id, answer.liked);
  } catch (error) {
    comment.likes = before;
    remember(id, was);
    list.panel.status.textContent =
      error instanceof ApiError && error.status === 429
        ? strings.reactingTooFast(error.retryAfter)
        : strings.reactionFailed;
  } finally {
    sending.delete(id);
  }
  draw();
  if (again.delete(id)) await like(list, comment);
}
