import { httpHandler } from '../http/handler';
import { json } from '../http/response';
import { type Configuration, loadConfiguration } from '../runtime';

/** GET /config: the reaction set in display order, and the limits a client should mirror. */
export function createHandler({ settings }: Pick<Configuration, 'settings'>) {
  const body = {
    reactions: settings.reactions.map(({ key, label }) => ({ key, label })),
    limits: settings.limits,
    // How long an author's edit token works, so the widget offers Edit and Delete only then.
    moderation: { editWindowMinutes: settings.moderation.editWindowMinutes },
  };
  return httpHandler('GetConfig', {}, async () => json(200, body));
}

export const handler = createHandler(loadConfiguration());
