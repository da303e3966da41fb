/**
 * One comment as the thread shows it, with its replies: author, date, text, and the tools its
 * reader may use (Reply; Edit and Delete on the visitor's own comments while the window lasts).
 */
import type { Comment } from '../shared/api';
import { h, safeHttpUrl } from '../shared/dom';
import type { Dates } from './dates';
import { linkButton } from './link-button';
import { richText } from './rich-text';
import { strings } from './strings';
import type { Listed, OwnUi } from './thread-state';

/** What a comment's rendering needs from the list it is in. */
export interface ItemContext {
  dates_: Dates;
  ui(id: string): OwnUi;
  editable_(id: string): boolean;
  reply(comment: Comment): void;
  /** Shows `state` for comment `id`, then focuses the element `focus` names. */
  change_(id: string, state: OwnUi, focus?: string): void;
  /** Edit and Delete (which asks first): the visitor's own comment. */
  edit_(comment: Comment): void;
  confirm_(id: string): void;
  /** Drawn only once edit_ or confirm_ has loaded the write chunk. */
  editor_(entry: Listed, state: OwnUi): HTMLElement;
  confirmTools_(entry: Listed, state: OwnUi): HTMLElement;
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
      meta(comment, context.dates_),
      entry.pending && h('p', { class: 'awaiting' }, strings.awaitingModeration),
      state.mode === 'edit'
        ? context.editor_(entry, state)
        : h('div', { class: 'body' }, ...richText(comment.body)),
      state.notice_ && h('p', { class: 'notice' }, state.notice_),
      state.mode === 'confirm' ? context.confirmTools_(entry, state) : tools(entry, state, context),
    ),
    replies.length > 0 &&
      h(
        'ol',
        { class: 'replies' },
        ...replies.map((reply) => commentItem(reply, children, context)),
      ),
  );
}

function meta(comment: Comment, dates: Dates) {
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
    // The site signed this reader in: a mark for a screen reader as for the eye.
    comment.author.verified &&
      h(
        'span',
        { class: 'verified', role: 'img', 'aria-label': strings.verified, title: strings.verified },
        '✓',
      ),
    ...(comment.author.badges ?? []).map((badge) =>
      h('span', { class: 'mark' }, strings.badge_(badge)),
    ),
    comment.author.staff && h('span', { class: 'mark' }, strings.staff),
    comment.pinned && h('span', { class: 'mark' }, strings.pinned),
    ' ',
    h(
      'time',
      { datetime: comment.createdAt, title: dates.full_(comment.createdAt) },
      dates.short_(comment.createdAt),
    ),
    comment.editedAt && h('span', { class: 'edited' }, ` (${strings.edited})`),
  );
}

function tools(entry: Listed, state: OwnUi, context: ItemContext) {
  const { comment } = entry;
  const mine = context.editable_(comment.id) && state.mode !== 'edit';
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
    mine && linkButton(`talkback-edit-${comment.id}`, strings.edit, () => context.edit_(comment)),
    mine &&
      linkButton(`talkback-delete-${comment.id}`, strings.delete, () =>
        context.confirm_(comment.id),
      ),
  );
}
