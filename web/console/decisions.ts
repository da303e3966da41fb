/**
 * What a moderator does to comments: decide (approve, spam), delete after the undo window, pin,
 * feature.
 */
import { failed } from './failure';
import { chooseGround, needsGround } from './grounds';
import type { AdminComment, RowActions, Status } from './queue';
import { load, refreshAfterDecision, render, renderKeepingCursor, visible } from './queue-view';
import { openReply } from './staff-reply';
import { call, plural, state, type UndoRecord } from './state';
import { dismiss, toast } from './undo';

/** The row's decisions (main.ts adds opening the author's record, commenter.ts). */
export const rowActions: Omit<RowActions, 'commenter'> = {
  decide(ids: string[], to: Status) {
    decide(ids, to);
  },
  remove(ids: string[]) {
    removeLater(ids);
  },
  pin(comment: AdminComment) {
    void pin(comment);
  },
  feature(comment: AdminComment) {
    void feature(comment);
  },
  reply(comment: AdminComment, row: HTMLElement) {
    openReply(comment, row);
  },
  toggle(id: string, on: boolean) {
    if (on) state.selected.add(id);
    else state.selected.delete(id);
  },
};

const VERBS: Record<Status, { doing: string; done: string; failed: string }> = {
  published: { doing: 'Approving', done: 'Approved', failed: 'approve' },
  spam: { doing: 'Marking as spam', done: 'Marked as spam', failed: 'mark as spam' },
  pending: { doing: 'Moving to pending', done: 'Moved to pending', failed: 'move to pending' },
};

/** Its author and the start of its text: `Reader (“The start…”)`. */
function byline(comment: AdminComment, length: number): string {
  const text =
    comment.body.length > length ? `${comment.body.slice(0, length - 1)}…` : comment.body;
  return `${comment.author.name} (“${text}”)`;
}

/** Names a comment in an error: its author and the start of its text. */
function named(comment: AdminComment): string {
  return `the comment by ${byline(comment, 60)}`;
}

/**
 * Names the comments a notice is about, so two notices (and their Undo buttons) never read
 * alike: `the comment by Reader (“…”)`, or `2 comments, by Reader (“…”) and Ada (“…”)`, the first
 * three named.
 */
export function which(comments: AdminComment[]): string {
  const [only] = comments;
  if (comments.length === 1 && only) return `the comment by ${byline(only, 40)}`;
  const names = comments.slice(0, 3).map((comment) => byline(comment, 30));
  const more = comments.length - names.length;
  const last = more > 0 ? `${more} more` : names.pop();
  const listed = `${names.join(', ')} and ${last}`;
  return `${plural(comments.length)}, by ${listed}`;
}

/**
 * One decision on the rows shown: they leave at once (the next row takes the cursor), each
 * comment is sent once (a row on its way out is not shown, so no key or click reaches it again),
 * and the toast says what the API did. A refused comment comes back, with an error naming it;
 * refused credentials end the session with no claim of success.
 */
export function decide(ids: string[], to: Status): void {
  const taken = visible().filter((comment) => ids.includes(comment.id));
  if (taken.length === 0) return;
  if (!needsGround(taken, to)) {
    send(taken, to, undefined);
    return;
  }
  // A removal of published content names its ground: asked first, and Escape decides nothing.
  void chooseGround(`${VERBS[to].doing}: ${which(taken)}`).then((ground) => {
    const still = visible().filter((comment) => taken.includes(comment));
    if (ground !== null && still.length > 0) send(still, to, ground);
  });
}

/** Sends the decision (with its ground, for a removal of published content), undoable. */
function send(taken: AdminComment[], to: Status, ground: string | undefined): void {
  const from = state.status;
  for (const comment of taken) {
    state.deciding.add(comment.id);
    state.selected.delete(comment.id);
  }
  render();
  const verb = VERBS[to];
  const notice = toast({
    label: `${verb.doing}: ${which(taken)}…`,
    undoes: `${verb.doing.toLowerCase()} ${which(taken)}`,
    undo: async () => {
      const done = await sent;
      if (done.length === 0) return;
      try {
        await Promise.all(
          done.map((id) => call('PATCH', `/admin/comments/${id}`, { status: from })),
        );
        await load();
      } catch (caught) {
        failed(caught);
      }
    },
  });
  // keepalive: a decision made just before a reload still lands.
  const sent = Promise.allSettled(
    taken.map((comment) =>
      call(
        'PATCH',
        `/admin/comments/${comment.id}`,
        { status: to, ...(ground && { ground }) },
        true,
      ),
    ),
  ).then((results) => settle(taken, results, verb, notice));
}

function settle(
  taken: AdminComment[],
  results: PromiseSettledResult<unknown>[],
  verb: (typeof VERBS)[Status],
  notice: UndoRecord,
): string[] {
  const done = taken.filter((_, index) => results[index]?.status === 'fulfilled').map((c) => c.id);
  const refused = taken.flatMap((comment, index) => {
    const result = results[index];
    return result?.status === 'rejected' ? [{ comment, reason: result.reason as unknown }] : [];
  });
  renderKeepingCursor(() => {
    for (const comment of taken) state.deciding.delete(comment.id);
    state.comments = state.comments.filter((comment) => !done.includes(comment.id));
  });
  const decided = taken.filter((comment) => done.includes(comment.id));
  if (decided.length > 0) notice.text.textContent = `${verb.done}: ${which(decided)}.`;
  else dismiss(notice);
  const signedOut = refused.find(({ reason }) => [401, 403].includes(statusOf(reason)));
  if (signedOut) {
    failed(signedOut.reason);
    return done;
  }
  for (const { comment, reason } of refused) {
    const why = reason instanceof Error ? reason.message : 'the request failed.';
    toast({ label: `Could not ${verb.failed} ${named(comment)}: ${why}`, error: true });
  }
  refreshAfterDecision().catch(failed);
  return done;
}

const statusOf = (caught: unknown): number => (caught as { status?: number }).status ?? 0;

export function removeLater(candidates: string[]): void {
  const taken = visible().filter((comment) => candidates.includes(comment.id));
  const ids = taken.map((comment) => comment.id);
  if (ids.length === 0) return;
  for (const id of ids) {
    state.deferred.add(id);
    state.selected.delete(id);
  }
  render();
  toast({
    label: `Deleted: ${which(taken)}.`,
    undoes: `deleting ${which(taken)}`,
    undo: () => {
      for (const id of ids) state.deferred.delete(id);
      render();
    },
    commit: () => {
      for (const id of ids) {
        if (!state.deferred.has(id)) continue;
        state.deferred.delete(id);
        state.comments = state.comments.filter((comment) => comment.id !== id);
        // keepalive: a delete whose window ends as the page closes still goes out.
        call('DELETE', `/admin/comments/${id}`, undefined, true).then(
          () => refreshAfterDecision(),
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

/** Features the comment, or stops featuring it. */
async function setFeatured(id: string, on: boolean): Promise<void> {
  if (on) await call('PUT', `/admin/comments/${id}/feature`);
  else await call('DELETE', `/admin/comments/${id}/feature`);
}

/**
 * An Editor's Pick, listed above the thread, or no longer: said in a toast whose Undo puts it
 * back as it was.
 */
export async function feature(comment: AdminComment): Promise<void> {
  const on = !comment.featured;
  try {
    await setFeatured(comment.id, on);
    toast({
      label: on
        ? `Featured: ${which([comment])}, shown above the thread.`
        : `No longer featured: ${which([comment])}.`,
      undoes: `${on ? 'featuring' : 'unfeaturing'} ${which([comment])}`,
      undo: async () => {
        try {
          await setFeatured(comment.id, !on);
          await load();
        } catch (caught) {
          failed(caught);
        }
      },
    });
    await load();
  } catch (caught) {
    failed(caught);
  }
}
