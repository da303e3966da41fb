/** One row of the queue: every field of the comment as text, its links, and its actions. */
import type { AdminComment, CommentStatus as Status } from '../../lambda/domain/comment';
import { authorAddress } from '../shared/author-address';
import { h, safeHttpUrl } from '../shared/dom';
import { linksIn } from './dom';
import { renderReasons, renderReports } from './reasons';

// The operators' API's own types (type-only: nothing of lambda/ is bundled into the console).
export type { AdminComment, CommentStatus as Status } from '../../lambda/domain/comment';

export interface RowActions {
  decide(ids: string[], status: Status): void;
  remove(ids: string[]): void;
  pin(comment: AdminComment): void;
  /** Features it (an Editor's Pick, above the thread) or stops featuring it. */
  feature(comment: AdminComment): void;
  reply(comment: AdminComment, row: HTMLElement): void;
  toggle(id: string, selected: boolean): void;
  /** Opens the author's record (commenter.ts). */
  commenter(comment: AdminComment): void;
}

const when = (iso: string) => {
  const text = new Date(iso).toLocaleString('en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'UTC',
  });
  return `${text} UTC`;
};

export function renderRow(
  comment: AdminComment,
  selected: boolean,
  actions: RowActions,
): HTMLLIElement {
  const name = comment.author.name;
  const website = comment.author.website;
  const links = linksIn(comment.body);
  const button = (label: string, text: string, act: () => void) =>
    h(
      'button',
      {
        type: 'button',
        'aria-label': `${label} the comment by ${name}`,
        // A double click's second click is not a second decision (on the row that moved up).
        onclick: (event: Event) => {
          if ((event as MouseEvent).detail <= 1) act();
        },
      },
      text,
    );
  const buttons: HTMLButtonElement[] = [];
  if (comment.status !== 'published') {
    buttons.push(button('Approve', 'Approve (a)', () => actions.decide([comment.id], 'published')));
  }
  if (comment.status !== 'spam') {
    buttons.push(button('Spam', 'Spam (s)', () => actions.decide([comment.id], 'spam')));
  }
  buttons.push(button('Delete', 'Delete (d)', () => actions.remove([comment.id])));
  if (comment.status === 'published') {
    buttons.push(
      button(comment.pinned ? 'Unpin' : 'Pin', comment.pinned ? 'Unpin' : 'Pin', () =>
        actions.pin(comment),
      ),
      button(
        comment.featured ? 'Unfeature' : 'Feature',
        comment.featured ? 'Unfeature (f)' : 'Feature (f)',
        () => actions.feature(comment),
      ),
      button('Reply to', 'Reply as staff', () => actions.reply(comment, row)),
    );
  }
  const checkbox = h('input', {
    type: 'checkbox',
    'aria-label': `Select the comment by ${name}`,
    onchange: (event) => actions.toggle(comment.id, (event.target as HTMLInputElement).checked),
  });
  checkbox.checked = selected;
  const row = h(
    'li',
    { class: 'row', 'data-id': comment.id, tabindex: '-1' },
    checkbox,
    h(
      'div',
      {},
      h(
        'div',
        { class: 'meta' },
        h('span', { class: 'article' }, comment.articleId),
        comment.commenterId
          ? h(
              'button',
              {
                type: 'button',
                class: 'author',
                'aria-label': `${name}: open their record`,
                onclick: () => actions.commenter(comment),
              },
              name,
            )
          : h('span', { class: 'author' }, name),
        h('span', { class: 'email' }, authorAddress(comment)),
        safeHttpUrl(website)
          ? h('span', { class: 'website' }, website)
          : website
            ? h('span', { class: 'website' }, `${website} (not a web address)`)
            : null,
        h('time', { datetime: comment.createdAt }, when(comment.createdAt)),
        comment.author.staff
          ? h('span', { class: 'badge staff' }, 'Staff')
          : comment.authorPublishedBefore
            ? h('span', { class: 'badge known' }, 'Has published before')
            : h('span', { class: 'badge new' }, 'First comment'),
        comment.pinned ? h('span', { class: 'badge pinned' }, 'Pinned') : null,
        comment.featured ? h('span', { class: 'badge featured' }, 'Featured') : null,
        comment.parentId ? h('span', { class: 'reply-to' }, 'a reply') : null,
      ),
      renderReasons(comment),
      renderReports(comment),
      // Its own direction: a right-to-left comment with a left-to-right word reads right.
      h('p', { class: 'body', dir: 'auto' }, comment.body),
      links.length > 0
        ? h(
            'ul',
            { class: 'links', 'aria-label': `Links in the comment by ${name}` },
            // As text, not links: a moderator reads where they go without visiting them.
            ...links.map((link) => h('li', {}, link)),
          )
        : null,
      h('div', { class: 'actions' }, ...buttons),
    ),
  );
  return row;
}
