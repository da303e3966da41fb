/**
 * Editing and deleting the visitor's own comments with their edit tokens (in the write chunk,
 * loaded as the footer comes near). A 401 or 403 means the token is wrong or its window has
 * closed, so it is dropped and the links go.
 */
import type { Comment } from '../shared/api';
import { removeComment } from './api-writes';
import { commentEditor, type EditorContext } from './comment-editor';
import { ApiError, h, linkButton } from './core';
import { formStrings } from './form-strings';
import type { OwnComments } from './own-comments';
import type { ListContext, Listed, OwnUi } from './thread-state';

export type OwnActions = ReturnType<typeof ownActions>;
// The chunk's other half: the visitor's own comments, kept in this browser.
export { ownComments } from './own-comments';

export function ownActions(list: ListContext) {
  const { state } = list;
  // Edit and Delete are only offered on a comment of this browser's, so its comments are read.
  const own = list.own_ as OwnComments;

  /** Handles a 401 or 403 (true), or leaves any other error to the caller (false). */
  const refused = (id: string, error: unknown) => {
    if (!(error instanceof ApiError && (error.status === 401 || error.status === 403))) {
      return false;
    }
    own.dropToken_(id);
    list.change_(id, { notice_: formStrings().cannotEdit }, `comment-${id}`);
    return true;
  };

  const editing: EditorContext = {
    api: list.api,
    limits: list.config.limits,
    token: own.token,
    refused_: refused,
    change_: list.change_,
    saved_: (comment: Comment) => {
      for (const entry of [...state.listed_, ...state.pending]) {
        if (entry.comment.id === comment.id) {
          entry.comment = comment;
          entry.copy_ = true;
        }
      }
      own.edited(comment);
    },
  };

  const remove = async (entry: Listed) => {
    const { id } = entry.comment;
    if (!(await deleted(list, id, refused))) return;
    own.forget(id);
    list.ui.delete(id);
    if (state.listed_.includes(entry)) state.count = Math.max(0, state.count - 1);
    state.listed_ = state.listed_.filter((other) => other !== entry);
    state.pending = state.pending.filter((other) => other !== entry);
    list.panel.status.textContent = formStrings().deleted;
    list.render_();
    list.panel.toggle.focus();
  };

  return {
    editor_: (entry: Listed, ui: OwnUi) => commentEditor(entry, ui, editing),
    confirmTools_: (entry: Listed, ui: OwnUi) => confirmTools(entry, ui, list, remove),
  };
}

/**
 * DELETE with the comment's token: true once it is gone (a 404, a moderator was quicker, is as
 * good as deleted); otherwise says why on the comment and gives false.
 */
async function deleted(
  list: ListContext,
  id: string,
  refused: EditorContext['refused_'],
): Promise<boolean> {
  const token = list.own_?.token(id);
  try {
    if (!token) throw new ApiError(401, '', []);
    await removeComment(list.api, id, token);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return true;
    if (!refused(id, error)) {
      list.change_(id, { mode: 'confirm', error: formStrings().failed }, `talkback-yes-${id}`);
    }
    return false;
  }
  return true;
}

/** "Delete this comment? Yes No", with what went wrong the last time Yes was pressed. */
function confirmTools(
  entry: Listed,
  state: OwnUi,
  list: ListContext,
  remove: (entry: Listed) => void,
) {
  const { id } = entry.comment;
  return h(
    'p',
    {
      class: 'tools confirm',
      // Escape is No, as in any dialog.
      onkeydown: (event) => {
        if ((event as KeyboardEvent).key === 'Escape') {
          list.change_(id, {}, `talkback-delete-${id}`);
        }
      },
    },
    `${formStrings().confirmDelete} `,
    linkButton(`talkback-yes-${id}`, formStrings().yes, () => remove(entry)),
    linkButton(`talkback-no-${id}`, formStrings().no, () =>
      list.change_(id, {}, `talkback-delete-${id}`),
    ),
    state.error && h('span', { class: 'error' }, state.error),
  );
}
