/** The mail tests' dependencies of the notification logic, over a fake store. */
import type { NotificationDeps, NotificationStore } from '../../../lambda/domain/notifications';
import { fixedClock, hasher } from '../fakes';

/** News Site's mail settings (a 5-minute digest, no moderators unless given) and a 6 s undo window. */
export function notificationDeps(
  store: NotificationStore,
  mail: Partial<NotificationDeps['mail']> = {},
): NotificationDeps {
  return {
    store,
    hasher,
    clock: fixedClock,
    mail: {
      siteName: 'News Site',
      articleUrlTemplate: 'https://news.example/{articleId}',
      apiUrl: 'https://api.news.example',
      moderatorEmails: [],
      digestSeconds: 300,
      ...mail,
    },
    undoSeconds: 6,
  };
}
