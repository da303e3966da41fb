/**
 * The editor of one of the visitor's own comments: the text checked in the browser first, then
 * PATCH with the comment's edit token; a refused token ends editing for good.
 */
import type { Api, Comment, Limits } from '../shared/api';
import { editComment } from './api-writes';
import { ApiError, h, linkButton } from './core';
import { formStrings } from './form-strings';
import type { Listed, OwnUi } from './thread-state';
import { checkBody } from './validate';

export interface EditorContext {
  api: Api;
  limits: Limits;
  token(id: string): string | undefined;
  /** Handles a 401 or 403 (true), or leaves any other error to the caller (false). */
  refused_(id: string, error: unknown): boolean;
  saved_(comment: Comment): void;
  change_(id: string, state: OwnUi, focus?: string): void;
}

export function commentEditor(entry: Listed, state: OwnUi, context: EditorContext) {
  const { id } = entry.comment;
  const errorId = `talkback-edit-error-${id}`;
  const text = h('textarea', {
    id: `talkback-editor-${id}`,
    rows: '4',
    dir: 'auto',
    oninput: () => {
      state.draft_ = text.value;
    },
  });
  text.value = state.draft_ ?? entry.comment.body;
  if (state.error) {
    text.setAttribute('aria-invalid', 'true');
    text.setAttribute('aria-describedby', errorId);
  }
  const save = h('button', { type: 'submit', class: 'submit' }, formStrings().save);
  const submit = (event: Event) => {
    event.preventDefault();
    void send({ id, state, text, save }, context);
  };
  return h(
    'form',
    { class: 'editor', novalidate: true, onsubmit: submit },
    h('label', { for: text.id, class: 'visually-hidden' }, formStrings().editLabel),
    text,
    state.error && h('span', { class: 'error', id: errorId }, state.error),
    h(
      'p',
      { class: 'tools' },
      save,
      linkButton(`talkback-cancel-${id}`, formStrings().cancel, () =>
        context.change_(id, {}, `talkback-edit-${id}`),
      ),
    ),
  );
}

interface Editing {
  id: string;
  state: OwnUi;
  text: HTMLTextAreaElement;
  save: HTMLButtonElement;
}

async function send({ id, state, text, save }: Editing, context: EditorContext) {
  const body = text.value.trim();
  const token = context.token(id);
  const problem = checkBody(body, context.limits, { body });
  if (!token) {
    context.refused_(id, new ApiError(401, '', []));
    return;
  }
  if (problem) {
    context.change_(
      id,
      { ...state, error: formStrings().fieldError(formStrings().comment, problem) },
      text.id,
    );
    return;
  }
  save.disabled = true;
  save.textContent = formStrings().saving;
  try {
    context.saved_((await editComment(context.api, id, token, body)).comment);
    context.change_(id, {}, `comment-${id}`);
  } catch (error) {
    if (context.refused_(id, error)) return;
    context.change_(id, { ...state, error: editFailure(error) }, text.id);
  }
}

/** The server's word on the text, else its detail, else a generic failure. */
function editFailure(error: unknown): string {
  const field = error instanceof ApiError && error.errors.find((e) => e.field === 'body');
  if (field) return formStrings().fieldError(formStrings().comment, field.message);
  return (error instanceof ApiError && error.detail) || formStrings().failed;
}
