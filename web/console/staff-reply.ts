/** A reply as staff under a published comment: a byline and a text, posted with the staff mark. */
import { h } from '../shared/dom';
import { failed } from './failure';
import type { AdminComment } from './queue';
import { load } from './queue-view';
import { call } from './state';
import { toast } from './undo';

export function openReply(comment: AdminComment, row: HTMLElement): void {
  row.querySelector('.reply-form')?.remove();
  const form = h(
    'form',
    { class: 'reply-form', 'aria-label': `Reply as staff to ${comment.author.name}` },
    h('label', { for: `reply-name-${comment.id}` }, 'Byline'),
    h('input', {
      id: `reply-name-${comment.id}`,
      name: 'name',
      required: true,
      value: 'The editors',
    }),
    h('label', { for: `reply-body-${comment.id}` }, 'Reply'),
    h('textarea', { id: `reply-body-${comment.id}`, name: 'body', rows: '3', required: true }),
    h('div', {}, h('button', { type: 'submit' }, 'Post reply')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const value = (name: string) =>
      (form.elements.namedItem(name) as HTMLInputElement | HTMLTextAreaElement).value;
    call('POST', `/admin/articles/${encodeURIComponent(comment.articleId)}/comments`, {
      name: value('name'),
      body: value('body'),
      parentId: comment.id,
    }).then(() => {
      toast({ label: 'Reply posted as staff.' });
      return load();
    }, failed);
  });
  row.append(form);
  form.querySelector('textarea')?.focus();
}
