import { parseSettings } from '../../../lambda/domain/settings';
import { createHandler } from '../../../lambda/handlers/get-config';
import { DOCUMENTED_LIMITS, DOCUMENTED_REACTIONS } from '../../support/contract';
import { httpEvent } from '../../support/events';
import { answer, configuration, JSON_TYPE } from './support';

describe('GET /config', () => {
  it('answers 200 with the reactions in display order and the limits', async () => {
    const result = answer(await createHandler(configuration)(httpEvent('GET', '/config')));
    expect(result.status).toBe(200);
    expect(result.headers['content-type']).toBe(JSON_TYPE);
    expect(result.body).toStrictEqual({
      reactions: DOCUMENTED_REACTIONS,
      limits: DOCUMENTED_LIMITS,
      moderation: { editWindowMinutes: 15 },
    });
  });

  it('serves the deployment’s own reaction set', async () => {
    const settings = parseSettings({ reactions: [{ key: 'up', label: 'Up' }] });
    const result = answer(await createHandler({ settings })(httpEvent('GET', '/config')));
    expect(result.body.reactions).toEqual([{ key: 'up', label: 'Up' }]);
  });
});
