/**
 * The edge cost model (test/bench/edge-cost.ts) prices one reference view, and docs/edge.md
 * quotes what it prints: the answer's sizes and the dollars per million views.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { edgeCost, REFERENCE_VIEW } from '../bench/edge-cost';
import { type BenchResult, result } from '../bench/results';

const DOC = readFileSync(join(__dirname, '..', '..', 'docs', 'edge.md'), 'utf8');

/** What the DynamoDB phase reports for its article view: a 50-comment page, another view. */
const DYNAMODB_PHASE: BenchResult[] = [
  result({
    group: 'dynamodb',
    name: 'thread of an article view: capacity (AWS rules)',
    value: 8.5,
    unit: 'RRU',
    detail: { readUnits: 8.5, writeUnits: 0 },
  }),
];

const dollars = (cell: string) => Number(cell.replace(/[*$\s]/g, ''));

/** A row of the doc's table of dollars per million views, by its first cell. */
function docRow(label: string): number[] {
  const line = DOC.split('\n').find((row) => row.startsWith(`| ${label} |`));
  if (line === undefined) throw new Error(`docs/edge.md has no row "${label}"`);
  return line.split('|').slice(2, -1).map(dollars);
}

describe('the edge cost model', () => {
  let rows: BenchResult[];
  beforeAll(async () => {
    rows = await edgeCost(() => {}, DYNAMODB_PHASE);
  });
  const value = (name: string) => rows.find((row) => row.name === name)?.value;

  it.each([
    ['function-url', 'function URL origin (built)'],
    ['http-api', 'HTTP API origin'],
  ])('prices the reference view through %s at the figures docs/edge.md quotes', (origin, label) => {
    const printed = [0, 90, 99].map((hits) =>
      value(`$ per million views, ${origin}, ${hits}% cache hits`),
    );
    expect(printed).toEqual(docRow(label));
  });

  it('measures the answer of the reference view the docs describe, byte for byte', () => {
    const view = `${REFERENCE_VIEW.comments} comments of about ${REFERENCE_VIEW.bodyChars} characters`;
    const raw = value(`thread answer of the reference view (${view}), raw`);
    const gzip = value('thread answer, gzip');
    const brotli = value('thread answer, brotli');
    const figures = [raw, gzip, brotli].map((bytes) => Number(bytes).toLocaleString('en-US'));
    // Compared as one line: the doc wraps its sentences.
    expect(DOC.replace(/\s+/g, ' ')).toContain(
      `a thread of ${view} is **${figures[0]} bytes raw, ${figures[1]} gzip, ${figures[2]} brotli**`,
    );
  });
});
