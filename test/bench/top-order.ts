/**
 * The Top order against the oldest order on one article of 2,000 comments (issue 27): a thread
 * view in each, through the real handler on DynamoDB Local, compared by the read units the view
 * consumed (as DynamoDB Local reports them, index included) and by this process's CPU time per
 * view (the handler and the SDK; DynamoDB Local's own work is in another process). Target: the
 * Top order at most 1.3 times the oldest order's, on both.
 *
 * Import it inside withHandlerEnv: the API it drives imports every handler module.
 */
import { cpuUsage } from 'node:process';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ensureTable } from '../../bin/local/bootstrap';
import { createLowLevelClient } from '../../bin/local/clients';
import { startDynamoDbLocal } from '../../bin/local/dynamodb-local';
import type { CommentRecord } from '../../lambda/domain/comment';
import { ulid } from '../../lambda/domain/ids';
import { setLogSink } from '../../lambda/http/log';
import { setMetricsSink } from '../../lambda/http/metrics';
import { createDocumentClient } from '../../lambda/store/client';
import { countUpdates, toItem } from '../../lambda/store/comment-items';
import { ENTITY, keys } from '../../lambda/store/keys';
import { createApi } from '../support/api';
import { testSettings } from '../support/dynamodb';
import { meterClient, runtimeOnClient } from './dynamodb-meter';
import { BENCH_SECRET } from './handler-env';
import { type BenchResult, median, result } from './results';

export const TOP_ARTICLE = 'two-thousand-voices';
export const TOP_COMMENTS = 2_000;
const TARGET = 1.3;
const VIEWS = 40;
const WARMUP_VIEWS = 5;

const BODY =
  'I read this twice. The part about the harbour wall matches what my family was told, and the ' +
  'map of the old shoreline is the first I have seen that shows the pier where it really stood.';

/** Comments a minute apart, one in five a reply, with likes spread as a real thread's are. */
function comments(): CommentRecord[] {
  const start = Date.parse('2026-11-01T08:00:00.000Z');
  const made: CommentRecord[] = [];
  for (let index = 0; index < TOP_COMMENTS; index++) {
    const time = start + index * 60_000;
    const commentId = ulid(time);
    const parent = index % 5 === 4 ? made[index - 1] : undefined;
    made.push({
      commentId,
      articleId: TOP_ARTICLE,
      parentId: parent ? (parent.parentId ?? parent.commentId) : null,
      authorName: `Reader ${index}`,
      authorWebsite: null,
      email: `reader${index}@example.com`,
      emailHash: `hash-${index}`,
      editTokenHash: null,
      body: `${BODY} (${index})`,
      status: 'published',
      createdAt: new Date(time).toISOString(),
      editedAt: null,
      staff: false,
      pinned: false,
      // Most comments have a few likes, some many: (index * 7919) mod 97, squared down.
      likes: Math.floor(((index * 7919) % 97) ** 2 / 97),
    });
  }
  return made;
}

export async function topOrderCost(log: (line: string) => void): Promise<BenchResult[]> {
  setLogSink(() => {});
  setMetricsSink(() => {});
  log('starting DynamoDB Local');
  const local = await startDynamoDbLocal();
  const admin = createLowLevelClient(local.endpoint);
  const env = {
    DYNAMODB_ENDPOINT: local.endpoint,
    TABLE_NAME: 'talkback-top-bench',
    TALKBACK_SECRET: BENCH_SECRET,
    TALKBACK_SETTINGS: testSettings(),
  };
  const client = createDocumentClient(env);
  try {
    await ensureTable(admin, env.TABLE_NAME);
    log(`seeding ${TOP_COMMENTS.toLocaleString('en-US')} comments on one article`);
    const items = comments().map(toItem);
    for (let start = 0; start < items.length; start += 25) {
      await client.send(
        new BatchWriteCommand({
          RequestItems: {
            [env.TABLE_NAME]: items
              .slice(start, start + 25)
              .map((Item) => ({ PutRequest: { Item } })),
          },
        }),
      );
    }
    // The two stats items, as the count updates of 2,000 publications leave them.
    for (const { Update } of countUpdates(
      env.TABLE_NAME,
      TOP_ARTICLE,
      TOP_COMMENTS,
      '2026-12-01T00:00:00.000Z',
    )) {
      await client.send(
        new BatchWriteCommand({
          RequestItems: {
            [env.TABLE_NAME]: [
              {
                PutRequest: {
                  Item: {
                    ...Update.Key,
                    entity: ENTITY.articleStats,
                    articleId: TOP_ARTICLE,
                    commentCount: TOP_COMMENTS,
                    ...(Update.Key.SK === keys.statsHead(TOP_ARTICLE).SK
                      ? { topOf: keys.articlePartition(TOP_ARTICLE), topRank: '!' }
                      : {}),
                  },
                },
              },
            ],
          },
        }),
      );
    }

    const meter = meterClient(client);
    const api = createApi(runtimeOnClient(env, client));
    const view = (order: string) =>
      api('GET', `/articles/${TOP_ARTICLE}`, { query: { order, limit: '50' } });

    const measure = async (order: string) => {
      for (let n = 0; n < WARMUP_VIEWS; n++) await view(order);
      const cpu: number[] = [];
      const units: number[] = [];
      for (let n = 0; n < VIEWS; n++) {
        meter.reset();
        const before = cpuUsage();
        const response = await view(order);
        const used = cpuUsage(before);
        if (response.status !== 200) throw new Error(`${order} view: ${response.status}`);
        cpu.push(used.user + used.system);
        units.push(meter.totals().units);
      }
      return {
        cpuUs: median(cpu),
        cpu,
        readUnits: median(units),
        commands: meter.totals().commands,
      };
    };
    log('measuring thread views, oldest order, then top order');
    const oldest = await measure('oldest');
    const top = await measure('top');
    const within = (value: number, floor: number) => value <= floor * TARGET;
    const target = `<= ${TARGET}x the oldest order`;
    return [
      result({
        group: 'top-order',
        name: `thread of ${TOP_COMMENTS.toLocaleString('en-US')} comments, top order: read units`,
        value: top.readUnits,
        unit: 'RCU',
        floor: oldest.readUnits,
        target,
        met: within(top.readUnits, oldest.readUnits),
        note: `${top.commands.join(' + ')} of index byTop; floor: the oldest order's ${oldest.commands.join(' + ')}`,
      }),
      result({
        group: 'top-order',
        name: `thread of ${TOP_COMMENTS.toLocaleString('en-US')} comments, top order: CPU per view`,
        value: top.cpuUs,
        unit: 'µs',
        floor: oldest.cpuUs,
        target,
        met: within(top.cpuUs, oldest.cpuUs),
        samples: top.cpu,
        note: `median of ${VIEWS} views, this process (handler and SDK); floor: the oldest order's`,
      }),
    ];
  } finally {
    client.destroy();
    admin.destroy();
    await local.stop();
  }
}
