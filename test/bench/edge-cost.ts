/**
 * What a million article views and a million reactions cost through the CDN, everything
 * counted (CDN requests and transfer, origin requests, compute, database, logs), at cache-hit
 * ratios of 0 %, 90 % and 99 %, for both origins the reads could have: Lambda function URLs
 * behind Origin Access Control (what lib/talkback-edge.ts builds) and the HTTP API.
 *
 * Every view figure prices one reference view (REFERENCE_VIEW, the one docs/edge.md quotes):
 * measured here, its thread answer's size raw, gzipped and brotli-compressed with node:zlib,
 * and its Query's read units from its stored items' sizes. The DynamoDB phase's capacity of a
 * reaction is used when that phase ran (by AWS's rules; estimated from the items' sizes when it
 * did not); its article view reads a 50-comment page, a different view, so it is not used here.
 * Prices are AWS's us-east-1 list prices (PRICES; docs/edge.md).
 */
import { brotliCompressSync, gzipSync } from 'node:zlib';
import type { PublicCommentFields } from '../../lambda/domain/comment';
import { createKeyedHasher } from '../../lambda/domain/keyed-hash';
import type { CommentPage, CommentStore } from '../../lambda/domain/ports';
import { parseSettings } from '../../lambda/domain/settings';
import { getThread } from '../../lambda/domain/thread';
import { type BenchResult, result } from './results';

/** us-east-1 list prices, as published on AWS's pricing pages on 2026-12-01 (USD). */
export const PRICES = {
  /** CloudFront HTTPS requests, United States and Europe: $0.0100 per 10,000. */
  cdnRequest: 0.01 / 10_000,
  /** CloudFront data transfer out to the internet, North America and Europe, first 10 TB. */
  cdnTransferPerGB: 0.085,
  /** CloudFront to origin (the request bytes of a miss). */
  originFetchPerGB: 0.02,
  /** API Gateway HTTP API, first 300 million a month. */
  httpApiRequest: 1.0 / 1_000_000,
  lambdaRequest: 0.2 / 1_000_000,
  /** Lambda arm64, per GB-second, first 7.5 billion GB-seconds a month. */
  lambdaGBSecondArm: 0.0000133334,
  /** DynamoDB on demand. */
  readRequestUnit: 0.125 / 1_000_000,
  writeRequestUnit: 0.625 / 1_000_000,
  /** CloudWatch Logs ingestion (standard class). */
  logsPerGB: 0.5,
} as const;

/** What is not measured here, stated. */
export const ASSUMPTIONS = {
  /** Functions' memory (lib/talkback-function.ts FUNCTION_MEMORY_MB). */
  memoryGB: 0.5,
  /** Billed ms of a read: our own work is under 0.1 ms; the Query's round trip is most of it. */
  readBilledMs: 10,
  /** Billed ms of a vote: a batch read, then a transaction. */
  voteBilledMs: 25,
  /** Billed ms of a tally: a consistent batch read of the shards, two conditional updates. */
  tallyBilledMs: 25,
  /** Response headers CloudFront sends with an answer (cache, CORS, via, x-amz-cf-*, age). */
  responseHeaderBytes: 600,
  /** What CloudFront sends the origin on a miss: request line and forwarded headers. */
  originRequestBytes: 800,
  /** One log line per invocation (JSON, platform lines off at WARN), and per API access. */
  logLineBytes: 300,
  /** A vote's answer (the Reactions shape), compressed or not: under 1,000 bytes. */
  voteAnswerBytes: 200,
  /** Every vote tallied on its own: the worst case (a busy article's votes share a batch). */
  talliesPerVote: 1,
} as const;

/** Words of reader comments; each comment draws its own sentence, so no two repeat. */
const WORDS = (
  'the light keeper winter coast storm lamp tower island cottage grandfather kept years ' +
  'quiet weather photographs room remember read more thank you piece wonderful history ' +
  'sea ships rock fog horn night shift oil wick lens brass polish stairs gulls wind rain ' +
  'supply boat letters family lonely proud duty signal harbour cliffs waves wreck rescue ' +
  'my our his her we they always never often sometimes still every first last long short ' +
  'about because before after during while when where how why which would could should'
).split(' ');

/** A deterministic sentence of about `chars` characters (the same bytes on every run). */
function commentText(seed: number, chars: number): string {
  let state = seed * 2654435761;
  const words: string[] = [];
  let length = 0;
  while (length < chars) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const word = WORDS[state % WORDS.length] ?? 'light';
    words.push(word);
    length += word.length + 1;
  }
  const text = words.join(' ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

/**
 * The view every figure prices: an article's first page of 20 comments of about 200 characters
 * each, with the widget's script already in the browser's cache.
 */
export const REFERENCE_VIEW = { comments: 20, bodyChars: 200 } as const;

/**
 * The reference view's article as the thread answers it (different words in every comment, as
 * real comments have: identical bodies would compress far better than any real thread).
 */
export async function referenceThread(): Promise<string> {
  const { comments: count, bodyChars } = REFERENCE_VIEW;
  const comments: PublicCommentFields[] = Array.from({ length: count }, (_, index) => {
    const created = Date.parse('2026-11-20T08:00:00.000Z') + index * 97_000;
    return {
      commentId: `01JD${String(index).padStart(2, '0')}Q7X6ZJ6Y8R3K2V9N4T5B`,
      articleId: 'the-lighthouse-keepers-last-winter',
      parentId: index % 4 === 3 ? '01JD00Q7X6ZJ6Y8R3K2V9N4T5B' : null,
      authorName: `Reader ${index}`,
      authorWebsite: index % 3 === 0 ? `https://reader${index}.example` : null,
      body: commentText(index + 1, bodyChars),
      createdAt: new Date(created).toISOString(),
      editedAt: null,
      staff: false,
      pinned: false,
    };
  });
  const page: CommentPage = {
    commentCount: count,
    stats: {
      commentCount: count,
      reactionCounts: { excited: 12, happy: 64, 'in-love': 21, 'not-sure': 9, silly: 17 },
      reactionTotal: 123,
      closed: false,
    },
    comments,
    nextAfter: null,
  };
  const store = { page: async () => page } as unknown as CommentStore;
  const thread = await getThread(
    {
      store,
      hasher: createKeyedHasher('edge-cost-0123456789-0123456789-0123'),
      settings: parseSettings({}),
      clock: () => Date.now(),
    },
    { articleId: 'the-lighthouse-keepers-last-winter', order: 'oldest', limit: 50 },
  );
  return JSON.stringify(thread);
}

export interface AnswerSizes {
  raw: number;
  gzip: number;
  brotli: number;
}

export function answerSizes(body: string): AnswerSizes {
  const raw = Buffer.from(body, 'utf8');
  return {
    raw: raw.length,
    gzip: gzipSync(raw).length,
    brotli: brotliCompressSync(raw).length,
  };
}

export type ReadOrigin = 'function-url' | 'http-api';

export interface CostInputs {
  /** Bytes of the compressed thread answer (what most browsers get: brotli). */
  threadBytes: number;
  threadReadUnits: number;
  voteReadUnits: number;
  voteWriteUnits: number;
  tallyReadUnits: number;
  tallyWriteUnits: number;
}

export interface CostLine {
  item: string;
  perMillion: number;
}

const GB = 1024 ** 3;

/** Dollars per million article views (the script already in the browser's cache). */
export function viewCost(inputs: CostInputs, hitRatio: number, origin: ReadOrigin): CostLine[] {
  const misses = 1_000_000 * (1 - hitRatio);
  const views = 1_000_000;
  const lines: CostLine[] = [
    { item: 'CDN requests', perMillion: views * PRICES.cdnRequest },
    {
      item: 'CDN transfer out',
      perMillion:
        ((views * (inputs.threadBytes + ASSUMPTIONS.responseHeaderBytes)) / GB) *
        PRICES.cdnTransferPerGB,
    },
    {
      item: 'CDN to origin',
      perMillion: ((misses * ASSUMPTIONS.originRequestBytes) / GB) * PRICES.originFetchPerGB,
    },
    ...(origin === 'http-api'
      ? [{ item: 'API Gateway requests', perMillion: misses * PRICES.httpApiRequest }]
      : []),
    { item: 'Lambda requests', perMillion: misses * PRICES.lambdaRequest },
    {
      item: 'Lambda compute',
      perMillion:
        misses *
        ASSUMPTIONS.memoryGB *
        (ASSUMPTIONS.readBilledMs / 1000) *
        PRICES.lambdaGBSecondArm,
    },
    {
      item: 'DynamoDB reads',
      perMillion: misses * inputs.threadReadUnits * PRICES.readRequestUnit,
    },
    {
      item: 'Logs',
      perMillion:
        ((misses * ASSUMPTIONS.logLineBytes * (origin === 'http-api' ? 2 : 1)) / GB) *
        PRICES.logsPerGB,
    },
  ];
  return lines;
}

/** Dollars per million reactions: a vote through the CDN and the API, and its tally. */
export function reactionCost(inputs: CostInputs): CostLine[] {
  const votes = 1_000_000;
  const tallies = votes * ASSUMPTIONS.talliesPerVote;
  const seconds = (ms: number) => ms / 1000;
  return [
    { item: 'CDN requests', perMillion: votes * PRICES.cdnRequest },
    {
      item: 'CDN transfer out and to origin',
      perMillion:
        ((votes * (ASSUMPTIONS.voteAnswerBytes + ASSUMPTIONS.responseHeaderBytes)) / GB) *
          PRICES.cdnTransferPerGB +
        ((votes * ASSUMPTIONS.originRequestBytes) / GB) * PRICES.originFetchPerGB,
    },
    { item: 'API Gateway requests', perMillion: votes * PRICES.httpApiRequest },
    { item: 'Lambda requests', perMillion: (votes + tallies) * PRICES.lambdaRequest },
    {
      item: 'Lambda compute',
      perMillion:
        (votes * seconds(ASSUMPTIONS.voteBilledMs) + tallies * seconds(ASSUMPTIONS.tallyBilledMs)) *
        ASSUMPTIONS.memoryGB *
        PRICES.lambdaGBSecondArm,
    },
    {
      item: 'DynamoDB reads',
      perMillion:
        (votes * inputs.voteReadUnits + tallies * inputs.tallyReadUnits) * PRICES.readRequestUnit,
    },
    {
      item: 'DynamoDB writes',
      perMillion:
        (votes * inputs.voteWriteUnits + tallies * inputs.tallyWriteUnits) *
        PRICES.writeRequestUnit,
    },
    {
      item: 'Logs',
      // The API access line and the function's line per vote; the tally's line per batch.
      perMillion: (((2 * votes + tallies) * ASSUMPTIONS.logLineBytes) / GB) * PRICES.logsPerGB,
    },
  ];
}

export const total = (lines: readonly CostLine[]) =>
  lines.reduce((sum, line) => sum + line.perMillion, 0);

/** Read units of a Query over items of these sizes, eventually consistent (4 KB per unit, half). */
export function queryReadUnits(itemBytes: readonly number[]): number {
  const bytes = itemBytes.reduce((sum, size) => sum + size, 0);
  return Math.max(1, Math.ceil(bytes / 4096)) * 0.5;
}

/** Capacity measured by the DynamoDB phase for a call, by AWS's rules. */
function measured(
  earlier: readonly BenchResult[],
  call: string,
): { readUnits: number; writeUnits: number } | undefined {
  const row = earlier.find((entry) => entry.name === `${call}: capacity (AWS rules)`);
  return row?.detail as { readUnits: number; writeUnits: number } | undefined;
}

/** The thread's comment items as stored (private attributes count towards a read too). */
const STORED_COMMENT_BYTES = 650;
const STATS_ITEM_BYTES = 220;

export async function edgeCost(
  log: (line: string) => void,
  earlier: readonly BenchResult[] = [],
): Promise<BenchResult[]> {
  const sizes = answerSizes(await referenceThread());
  const view = `${REFERENCE_VIEW.comments} comments of about ${REFERENCE_VIEW.bodyChars} characters`;
  log(
    `reference view, ${view}: ${sizes.raw} B raw, ${sizes.gzip} B gzip, ${sizes.brotli} B brotli`,
  );
  const vote = measured(earlier, 'first reaction');
  const shards = parseSettings({}).reactionShards;
  const inputs: CostInputs = {
    threadBytes: sizes.brotli,
    threadReadUnits: queryReadUnits([
      STATS_ITEM_BYTES,
      ...Array(REFERENCE_VIEW.comments).fill(STORED_COMMENT_BYTES),
      STATS_ITEM_BYTES,
    ]),
    // Without the DynamoDB phase: the batch read of every shard and the vote (0.5 each), a
    // transaction of the vote, its shard and two rate windows (2 units each).
    voteReadUnits: vote?.readUnits ?? (shards + 1) * 0.5,
    voteWriteUnits: vote?.writeUnits ?? 4 * 2,
    // A tally: every shard read consistently (1 each), both stats items updated (1 each).
    tallyReadUnits: shards,
    tallyWriteUnits: 2,
  };
  const rows: BenchResult[] = [
    result({
      group: 'edge',
      name: `thread answer of the reference view (${view}), raw`,
      value: sizes.raw,
      unit: 'B',
    }),
    result({ group: 'edge', name: 'thread answer, gzip', value: sizes.gzip, unit: 'B' }),
    result({ group: 'edge', name: 'thread answer, brotli', value: sizes.brotli, unit: 'B' }),
  ];
  const targets: Record<number, number> = { 0: 2.0, 0.9: 1.3 };
  for (const origin of ['function-url', 'http-api'] as const) {
    for (const hitRatio of [0, 0.9, 0.99]) {
      const lines = viewCost(inputs, hitRatio, origin);
      const dollars = total(lines);
      const target = origin === 'function-url' ? targets[hitRatio] : undefined;
      rows.push(
        result({
          group: 'edge',
          name: `$ per million views, ${origin}, ${hitRatio * 100}% cache hits`,
          // To the cent, as docs/edge.md quotes it.
          value: Math.round(dollars * 100) / 100,
          unit: '$',
          ...(target === undefined
            ? {}
            : { target: `<= $${target.toFixed(2)}`, met: dollars <= target }),
          note: lines.map((line) => `${line.item} ${line.perMillion.toFixed(3)}`).join('; '),
          detail: { inputs, lines },
        }),
      );
    }
  }
  const reactions = reactionCost(inputs);
  rows.push(
    result({
      group: 'edge',
      name: '$ per million reactions (each tallied alone)',
      value: Math.round(total(reactions) * 1000) / 1000,
      unit: '$',
      note: reactions.map((line) => `${line.item} ${line.perMillion.toFixed(3)}`).join('; '),
      detail: { inputs, lines: reactions },
    }),
  );
  return rows;
}
