/**
 * "What's Your Reaction?": one button per configured reaction, pressed for the visitor's own.
 * A click shows its effect at once; requests go out one at a time in click order, and once the
 * last one is answered the server's counts replace the guess (or undo it, if a request failed).
 */
import { type Api, ApiError, type Config, type Reactions } from '../shared/api';
import { h, uniqueId } from '../shared/dom';
import { rememberVote } from '../shared/storage';
import { strings } from './strings';

export function reactionBar(
  api: Api,
  article: string,
  visitor: string,
  config: Config,
  initial: Reactions,
): HTMLElement {
  let confirmed = initial;
  let shown = initial;
  let queue = Promise.resolve();
  let waiting = 0;
  let failed: unknown = null;

  const headingId = uniqueId('reactions');
  const status = h('p', { class: 'status', role: 'status' });
  const buttons = config.reactions.map(({ key, label }) => {
    const count = h('span', { class: 'count' });
    const button = h(
      'button',
      { type: 'button', class: 'reaction', 'data-reaction': key, onclick: () => choose(key) },
      h('span', { class: 'label' }, label),
      ' ',
      count,
    );
    return { key, button, count };
  });

  const render = () => {
    for (const { key, button, count } of buttons) {
      button.setAttribute('aria-pressed', String(shown.mine === key));
      count.textContent = String(shown.counts[key] ?? 0);
    }
  };

  const choose = (key: string) => {
    const withdraw = shown.mine === key;
    const counts = { ...shown.counts };
    if (shown.mine) counts[shown.mine] = Math.max(0, (counts[shown.mine] ?? 0) - 1);
    if (!withdraw) counts[key] = (counts[key] ?? 0) + 1;
    shown = {
      counts,
      total: shown.total + (withdraw ? -1 : shown.mine ? 0 : 1),
      mine: withdraw ? null : key,
    };
    render();
    waiting++;
    queue = queue.then(async () => {
      try {
        confirmed = await (withdraw
          ? api.withdraw(article, visitor)
          : api.react(article, visitor, key));
        // The thread carries no vote of anyone's: the next view shows this one from here.
        rememberVote(article, confirmed.mine);
      } catch (error) {
        failed = error;
      }
      if (--waiting === 0) {
        shown = confirmed;
        render();
        status.textContent = !failed
          ? ''
          : failed instanceof ApiError && failed.status === 429
            ? strings.reactingTooFast(failed.retryAfter)
            : strings.reactionFailed;
        failed = null;
      }
    });
  };

  render();
  return h(
    'section',
    { class: 'reactions', 'aria-labelledby': headingId },
    h('h2', { id: headingId }, strings.reactionsHeading),
    h(
      'div',
      {
        class: 'reaction-list',
        role: 'group',
        'aria-labelledby': headingId,
        'aria-live': 'polite',
      },
      ...buttons.map(({ button }) => button),
    ),
    status,
  );
}
