import { h } from '../shared/dom';

/** A button that reads as a link: the thread's Reply, Edit, Delete, Yes, No and Cancel. */
export const linkButton = (id: string, label: string, onclick: (event: Event) => void) =>
  h('button', { type: 'button', class: 'link', id, onclick }, label);
