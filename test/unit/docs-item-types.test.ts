/**
 * The table as docs/architecture.md draws it ("The table, as you see it in the DynamoDB
 * console") lists every item type the code writes (ENTITY in lambda/store/keys.ts), and no
 * other: a new item type cannot go undocumented.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENTITY } from '../../lambda/store/keys';

const DOC = readFileSync(join(__dirname, '..', '..', 'docs', 'architecture.md'), 'utf8');

/** The rows of the doc's item table: the entity in backticks first, then PK and SK. */
const documented = new Set(
  [...DOC.matchAll(/^\| `(\w+)` \| `[^`]+` \| `[^`]+` \|/gm)].map((match) => match[1]),
);

describe('docs/architecture.md, the table item by item', () => {
  it.each(Object.values(ENTITY))('has a row for the %s item', (entity) => {
    expect(documented).toContain(entity);
  });

  it('has no row for an item type the code does not write', () => {
    expect(
      [...documented].filter((entity) => !Object.values(ENTITY).includes(entity as never)),
    ).toEqual([]);
  });
});
