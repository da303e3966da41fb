/**
 * The ground of a removal (a statement of reasons, DSA Art. 17): when a moderator takes a
 * published comment out of view, a small picker lists the deployment's grounds, numbered. A
 * digit picks one; Enter picks the focused one, which opens on the default (the first listed), so
 * `s` then Enter stays two keys; Escape decides nothing.
 */
import { h } from '../shared/dom';
import type { AdminComment, Status } from './queue';

export interface Ground {
  id: string;
  text: string;
  illegal?: string;
}

/** The deployment's grounds, from the operators' counts answer; the first is the default. */
let grounds: Ground[] = [];

export function knowGrounds(known: Ground[] | undefined): void {
  if (known) grounds = known;
}

/** Whether the decision removes published content, as the API judges it (removesPublished). */
export function needsGround(comments: AdminComment[], to: Status): boolean {
  if (to === 'published') return false;
  return comments.some(
    (comment) =>
      comment.status === 'published' ||
      (comment.status === 'pending' && comment.holdReasons.includes('reported')),
  );
}

let open: HTMLDialogElement | null = null;

/** Whether the picker is open: the queue's keys wait until it closes. */
export const picking = (): boolean => open !== null;

const label = (ground: Ground): string =>
  ground.illegal ? `${ground.text} (illegal content: ${ground.illegal})` : ground.text;

/**
 * Asks which ground: the chosen ground's id, or null when the moderator closed the picker. With
 * one ground known (or none), nothing is asked: the API gives the deployment's default.
 */
export function chooseGround(what: string): Promise<string | undefined | null> {
  if (grounds.length <= 1 || open) return Promise.resolve(grounds[0]?.id);
  return new Promise((resolve) => {
    const dialog = h('dialog', { class: 'grounds', 'aria-labelledby': 'grounds-title' });
    // Done at once, not on the dialog's close event (a task later): a key typed right after the
    // choice (u, to undo it) finds the picker closed and the decision's notice already there.
    const finish = (chosen: string | null) => {
      if (open !== dialog) return;
      open = null;
      if (dialog.open) dialog.close();
      dialog.remove();
      resolve(chosen);
    };
    const pick = (id: string) => finish(id);
    const choices = grounds
      .slice(0, 9)
      .map((ground, index) =>
        h(
          'li',
          {},
          h(
            'button',
            { type: 'button', 'data-ground': ground.id, onclick: () => pick(ground.id) },
            `${index + 1}. ${label(ground)}`,
          ),
        ),
      );
    dialog.append(
      h('h2', { id: 'grounds-title' }, `Why? ${what}`),
      h('p', {}, 'The author’s statement of reasons gives this ground. Escape to cancel.'),
      h('ol', {}, ...choices),
    );
    dialog.addEventListener('keydown', (event) => {
      const index = Number(event.key) - 1;
      const ground = Number.isInteger(index) ? grounds[index] : undefined;
      if (!ground || index > 8) return;
      event.preventDefault();
      event.stopPropagation();
      pick(ground.id);
    });
    // Escape (or any other way the dialog closes) decides nothing.
    dialog.addEventListener('close', () => finish(null));
    open = dialog;
    document.body.append(dialog);
    dialog.showModal();
    dialog.querySelector('button')?.focus();
  });
}
