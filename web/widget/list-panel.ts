/**
 * The comment list's frame: the View/Hide Comments toggle and the panel it opens, with the
 * order to sort by, the thread, "no comments yet", Load more and a status line.
 */
import type { Order } from '../shared/api';
import { h, uniqueId } from '../shared/dom';
import { strings } from './strings';

export interface PanelActions {
  toggle(): void;
  more_(): void;
  sort(order: Order): void;
}

export function listPanel(actions: PanelActions) {
  const panelId = uniqueId('comments');
  const toggle = h('button', {
    type: 'button',
    class: 'toggle',
    'aria-expanded': 'false',
    'aria-controls': panelId,
    onclick: () => actions.toggle(),
  });
  const counter = h('span', { class: 'visually-hidden', 'aria-live': 'polite' });
  const thread = h('ol', { class: 'thread' });
  const empty = h('p', { class: 'empty' }, strings.noComments);
  const status = h('p', { class: 'status', role: 'status' });
  const more = h(
    'button',
    { type: 'button', class: 'more', onclick: () => actions.more_() },
    strings.loadMore,
  );
  const sort = h(
    'select',
    { onchange: () => actions.sort(sort.value as Order) },
    h('option', { value: 'oldest' }, strings.oldest),
    h('option', { value: 'newest' }, strings.newest),
    h('option', { value: 'top' }, strings.top),
  );
  const panel = h(
    'div',
    { id: panelId, class: 'panel', hidden: true },
    h('p', { class: 'order' }, h('label', {}, `${strings.order} `, sort)),
    thread,
    empty,
    more,
    status,
  );
  const element = h('section', { class: 'comments' }, toggle, counter, panel);
  return {
    element,
    toggle,
    counter_: counter,
    thread_: thread,
    empty_: empty,
    status,
    more_: more,
    panel,
  };
}

export type ListPanel = ReturnType<typeof listPanel>;

/** Opens or closes the panel; the toggle names the count either way. */
export function showPanel(panel: ListPanel, open: boolean, count: number): void {
  panel.panel.hidden = !open;
  panel.toggle.setAttribute('aria-expanded', String(open));
  panel.toggle.textContent = (open ? strings.hideComments : strings.viewComments)(count);
}

/** Focuses the element with this id in the thread, if it is there. */
export function focusIn(thread: HTMLElement, id: string): void {
  thread.querySelector<HTMLElement>(`#${CSS.escape(id)}`)?.focus();
}
