import { parseSettings } from '../../../lambda/domain/settings';
import { createHandler } from '../../../lambda/handlers/get-config';
import { httpEvent } from '../../support/events';
import { answer, configuration, JSON_TYPE } from './support';

describe('GET /config', () => {
  it('answers 200 with the reactions in display order and the limits', async () => {
    const result = answer(await createHandler(configuration)(httpEvent('GET', '/config')));
    expect(result.status).toBe(200);
    expect(result.headers['content-type']).toBe(JSON_TYPE);
    expect(result.body).toStrictEqual({
      reactions: [
        { key: 'excited', label: 'Excited' },
        { key: 'happy', label: 'Happy' },
        { key: 'in-love', label: 'In Love' },
        { key: 'not-sure', label: 'Not Sure' },
        { key: 'silly', label: 'Silly' },
      ],
      limits: {
        nameMaxChars: 80,
        emailMaxChars: 254,
        websiteMaxChars: 2048,
        bodyMaxChars: 5000,
        requestBodyMaxBytes: 16384,
        pageSizeDefault: 50,
        pageSizeMax: 100,
        countsMaxArticles: 100,
      },
      moderation: { editWindowMinutes: 15 },
    });
  });

  it('serves the deployment’s own reaction set', async () => {
    const settings = parseSettings({ reactions: [{ key: 'up', label: 'Up' }] });
    const result = answer(await createHandler({ settings })(httpEvent('GET', '/config')));
    expect(result.body.reactions).toEqual([{ key: 'up', label: 'Up' }]);
  });
});
