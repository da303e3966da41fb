/** What a moderator does to comments: decide (approve, spam), delete after the undo window, pin. */
import { failed } from './failure';
import type { AdminComment, RowActions, Status } from './queue';
import { load, refreshCounts, render } from './queue-view';
import { openReply } from './staff-reply';
import { call, plural, state } from './state';
import { toast } from './undo';

export const rowActions: RowActions = {
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
    if (on) state.selected.add(id);
    else state.selected.delete(id);
  },
};

export async function decide(ids: string[], to: Status): Promise<void> {
  const from = state.status;
  try {
    await Promise.all(ids.map((id) => call('PATCH', `/admin/comments/${id}`, { status: to })));
  } catch (caught) {
    failed(caught);
  }
  for (const id of ids) state.selected.delete(id);
  state.comments = state.comments.filter((comment) => !ids.includes(comment.id));
  render();
  void refreshCounts();
  const verb =
    to === 'published' ? 'Approved' : to === 'spam' ? 'Marked as spam' : 'Moved to pending';
  toast({
    label: `${verb}: ${plural(ids.length)}.`,
    undo: async () => {
      try {
        await Promise.all(
          ids.map((id) => call('PATCH', `/admin/comments/${id}`, { status: from })),
        );
        await load();
      } catch (caught) {
        failed(caught);
      }
      void refreshCounts();
    },
  });
}

export function removeLater(ids: string[]): void {
  for (const id of ids) {
    state.deferred.add(id);
    state.selected.delete(id);
  }
  render();
  toast({
    label: `Deleted: ${plural(ids.length)}.`,
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
