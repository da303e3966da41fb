/** GET /admin/transparency: operators only, a range of months checked, the report of its counts. */
import { createHandler } from '../../../lambda/handlers/admin-transparency';
import { httpEvent } from '../../support/events';
import { answer, asOperator, configuration, fieldsOf } from './support';

function setup() {
  const asked: string[][] = [];
  const handler = createHandler({
    ...configuration,
    areas: {
      transparency: {
        store: {
          transparencyRows: async (from: string, to: string) => {
            asked.push(['counters', from, to]);
            return [{ month: '2026-12', counts: { 'decisions:human': 2, 'ground:spam': 1 } }];
          },
        },
        tuning: {
          tuningRows: async (from: string, to: string) => {
            asked.push(['tuning', from, to]);
            return [{ month: '2026-12', reason: 'rule:r1', overturned: 1, upheld: 3 }];
          },
        },
      },
    },
  });
  return { asked, handler };
}

const event = (query: Record<string, string>) => httpEvent('GET', '/admin/transparency', { query });

describe('GET /admin/transparency', () => {
  it("answers the months' report, from the counters and the screen's tuning counts", async () => {
    const { asked, handler } = setup();
    const result = answer(await handler(asOperator(event({ from: '2026-11', to: '2026-12' }))));
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({
      from: '2026-11',
      to: '2026-12',
      actionsByGround: { spam: 1 },
      decisions: { human: 2, screen: { upheld: 3, overturned: 1 } },
    });
    expect(asked.sort()).toEqual([
      ['counters', '2026-11', '2026-12'],
      ['tuning', '2026-11', '2026-12'],
    ]);
  });

  it.each([
    [{ from: '2026-13', to: '2026-12' }, ['from']],
    [{ from: '2026-12' }, ['to']],
    [{ from: '2026-12', to: '2026-11' }, ['from']],
    [{ from: '2023-01', to: '2026-12' }, ['to']],
  ])('answers 400 naming the bad field for %j, reading nothing', async (query, fields) => {
    const { asked, handler } = setup();
    const result = answer(await handler(asOperator(event(query))));
    expect(result.status).toBe(400);
    expect(fieldsOf(result.body)).toEqual(fields);
    expect(asked).toEqual([]);
  });

  it('answers 401 without operator credentials', async () => {
    const { handler } = setup();
    expect((await handler(event({ from: '2026-11', to: '2026-12' }))).statusCode).toBe(401);
  });
});
