/** Erasing an author by email: a count first, then a confirmation that names it. */
import { h } from '../shared/dom';
import { byId } from './dom';
import { failed } from './failure';
import { load } from './queue-view';
import { call, plural } from './state';

export async function checkErasure(email: string): Promise<void> {
  const box = byId('erase-confirm');
  box.replaceChildren();
  try {
    const { comments: count } = (await call(
      'GET',
      `/admin/erasures?${new URLSearchParams({ email })}`,
    )) as { comments: number };
    if (count === 0) {
      box.append(h('p', { role: 'status' }, 'No comments by that address.'));
      return;
    }
    const confirm = h('button', { type: 'button' }, `Erase ${plural(count)}`);
    box.append(
      h(
        'p',
        { role: 'status' },
        `This removes the author’s details from ${plural(count)}. It cannot be undone.`,
      ),
      confirm,
      h('button', { type: 'button', onclick: () => box.replaceChildren() }, 'Cancel'),
    );
    confirm.addEventListener('click', () => {
      call('POST', '/admin/erasures', { email }).then((answer) => {
        const { erased } = answer as { erased: number };
        box.replaceChildren(
          h('p', { role: 'status' }, `Erased the author’s details from ${plural(erased)}.`),
        );
        byId<HTMLInputElement>('erase-email').value = '';
        return load();
      }, failed);
    });
    confirm.focus();
  } catch (caught) {
    const message = caught instanceof Error ? caught.message : 'The check failed.';
    box.append(h('p', { class: 'error', role: 'alert' }, message));
  }
}
