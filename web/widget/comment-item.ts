/**
 * One comment as the thread shows it, with its replies: author, date, text, and the tools its
 * reader may use (Reply; Edit and Delete on the visitor's own comments while the window lasts).
 */
import type { Comment } from '../shared/api';
import { h, safeHttpUrl } from '../shared/dom';
import { linkButton } from './link-button';
import { strings } from './strings';
import type { Listed, OwnUi } from './thread-state';

/** What a comment's rendering needs from the list it is in. */
export interface ItemContext {
  dates: Intl.DateTimeFormat;
  ui(id: string): OwnUi;
  editable(id: string): boolean;
  reply(comment: Comment): void;
  /** Shows `state` for comment `id`, then focuses the element `focus` names. */
  change(id: string, state: OwnUi, focus?: string): void;
  remove(entry: Listed): void;
  editor(entry: Listed, state: OwnUi): HTMLElement;
  /** Copies comment `id`'s permalink; `button` is the Link button pressed. */
  link(id: string, button: HTMLButtonElement): void;
}

export function commentItem(
  entry: Listed,
  children: Map<string, Listed[]>,
  context: ItemContext,
): HTMLLIElement {
  const { comment } = entry;
  const state = context.ui(comment.id);
  const replies = children.get(comment.id) ?? [];
  return h(
    'li',
    { class: 'comment', id: `comment-${comment.id}`, tabindex: '-1' },
    h(
      'article',
      { 'aria-label': comment.author.name },
      meta(comment, context.dates),
      entry.pending && h('p', { class: 'awaiting' }, strings.awaitingModeration),
      state.mode === 'edit'
        ? context.editor(entry, state)
        : h('p', { class: 'body' }, comment.body),
      state.notice && h('p', { class: 'notice' }, state.notice),
      state.mode === 'confirm' ? confirmTools(entry, state, context) : tools(entry, state, context),
    ),
    replies.length > 0 &&
      h(
        'ol',
        { class: 'replies' },
        ...replies.map((reply) => commentItem(reply, children, context)),
      ),
  );
}

function meta(comment: Comment, dates: Intl.DateTimeFormat) {
  const link = safeHttpUrl(comment.author.website);
  const author = link
    ? h(
        'a',
        { href: link, rel: 'nofollow ugc noopener noreferrer', target: '_blank', class: 'author' },
        comment.author.name,
      )
    : h('strong', { class: 'author' }, comment.author.name);
  return h(
    'p',
    { class: 'meta' },
    author,
    ' ',
    h('time', { datetime: comment.createdAt }, dates.format(new Date(comment.createdAt))),
    comment.editedAt && h('span', { class: 'edited' }, ` (${strings.edited})`),
  );
}

function tools(entry: Listed, state: OwnUi, context: ItemContext) {
  const { comment } = entry;
  const mine = context.editable(comment.id) && state.mode !== 'edit';
  return h(
    'p',
    { class: 'tools' },
    !entry.pending &&
      h(
        'button',
        {
          type: 'button',
          class: 'link reply-link',
          id: `talkback-reply-${comment.id}`,
          'aria-label': strings.replyTo(comment.author.name),
          onclick: () => context.reply(comment),
        },
        strings.reply,
      ),
    !entry.pending &&
      linkButton(`talkback-link-${comment.id}`, strings.link, (event) =>
        context.link(comment.id, event.currentTarget as HTMLButtonElement),
      ),
    mine &&
      linkButton(`talkback-edit-${comment.id}`, strings.edit, () =>
        context.change(
          comment.id,
          { mode: 'edit', draft: comment.body },
          `talkback-editor-${comment.id}`,
        ),
      ),
    mine &&
      linkButton(`talkback-delete-${comment.id}`, strings.delete, () =>
        context.change(comment.id, { mode: 'confirm' }, `talkback-no-${comment.id}`),
      ),
  );
}

/** "Delete this comment? Yes No", with what went wrong the last time Yes was pressed. */
function confirmTools(entry: Listed, state: OwnUi, context: ItemContext) {
  const { id } = entry.comment;
  return h(
    'p',
    { class: 'tools confirm' },
    `${strings.confirmDelete} `,
    linkButton(`talkback-yes-${id}`, strings.yes, () => context.remove(entry)),
    linkButton(`talkback-no-${id}`, strings.no, () =>
      context.change(id, {}, `talkback-delete-${id}`),
    ),
    state.error && h('span', { class: 'error' }, state.error),
  );
}
