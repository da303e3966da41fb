import {
  type DynamoDBDocumentClient,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { RateLimitedError, VoteChangedError } from '../domain/errors';
import type {
  ArticleCounts,
  CountsStore,
  ReactionState,
  ReactionStore,
  VoteChange,
} from '../domain/ports';
import { type RateCharge, retryAfterSeconds } from '../domain/rate-limit';
import type { Settings } from '../domain/settings';
import type { TallyStore } from '../domain/tally';
import { placeholder, projection } from './attributes';
import { batchGetAll } from './batch-get';
import { cancellationReasons, isTransactionConflict, translateStoreError } from './errors';
import { HOT_COUNTS_POLICY, HotCounts, type HotCountsPolicy } from './hot-counts';
import { ARTICLE_LIST, ENTITY, type ItemKey, keys } from './keys';
import { chargeItems, refusedCharges } from './rate-windows';

// Pure, so that a bundle importing this module for nothing (lambda/areas.ts) can leave it out.
const COUNTS_PROJECTION = /* @__PURE__ */ projection([
  'articleId',
  'commentCount',
  'reactionTotal',
]);
const VOTE_PROJECTION = /* @__PURE__ */ projection(['reaction']);

export class ReactionRepository implements ReactionStore, CountsStore, TallyStore {
  private readonly reactionKeys: string[];
  // Built once: every read names the same attributes.
  private readonly readProjection: ReturnType<typeof projection>;
  private readonly tallyProjection: ReturnType<typeof projection>;
  private readonly hotCounts: HotCounts;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly settings: Settings,
    private readonly clock: () => number = () => Date.now(),
    hotCountsPolicy: HotCountsPolicy = HOT_COUNTS_POLICY,
  ) {
    this.reactionKeys = settings.reactions.map((reaction) => reaction.key);
    this.readProjection = projection(['PK', 'SK', 'entity', 'reaction', ...this.reactionKeys]);
    this.tallyProjection = projection(['writes', ...this.reactionKeys]);
    this.hotCounts = new HotCounts(hotCountsPolicy);
  }

  /**
   * Every counter shard of the article, and the visitor's vote: one eventually consistent batch
   * read (half the cost of a strong one, and within one item's read throughput when every voter
   * of a viral article reads every shard). A vote change is still exact: its transaction is
   * conditional on the vote it read, and a stale read only means a retry.
   */
  async read(articleId: string, visitorHash: string | undefined): Promise<ReactionState> {
    const shardKeys = Array.from({ length: this.settings.reactionShards }, (_, shard) =>
      keys.reactionShard(articleId, shard),
    );
    const voteKey = visitorHash === undefined ? undefined : keys.vote(articleId, visitorHash);
    const items = await batchGetAll(this.client, this.tableName, {
      Keys: voteKey ? [...shardKeys, voteKey] : shardKeys,
      ConsistentRead: false,
      ...this.readProjection,
    });
    const counts: Record<string, number> = {};
    let mine: string | null = null;
    for (const item of items) {
      if (item.entity === ENTITY.vote && typeof item.reaction === 'string') mine = item.reaction;
      if (item.entity !== ENTITY.reactionCounts) continue;
      for (const key of this.reactionKeys) {
        const value = item[key];
        if (typeof value === 'number') counts[key] = (counts[key] ?? 0) + value;
      }
    }
    return { counts, mine };
  }

  /**
   * A view: while the article is hot in this instance, its counts come from the instance's copy
   * and only the visitor's vote is read (one item, or nothing without a visitor); otherwise as
   * `read`, and the counts read may become the copy.
   */
  async readForView(articleId: string, visitorHash: string | undefined): Promise<ReactionState> {
    const now = this.clock();
    const copy = this.hotCounts.recent(articleId, now);
    if (copy === undefined) {
      const state = await this.read(articleId, visitorHash);
      this.hotCounts.viewed(articleId, state.counts, now);
      return state;
    }
    const mine = visitorHash === undefined ? null : await this.vote(articleId, visitorHash, false);
    return { counts: { ...copy }, mine };
  }

  async currentVote(articleId: string, visitorHash: string): Promise<string | null> {
    return this.vote(articleId, visitorHash, true);
  }

  private async vote(
    articleId: string,
    visitorHash: string,
    consistent: boolean,
  ): Promise<string | null> {
    const [item] = await batchGetAll(this.client, this.tableName, {
      Keys: [keys.vote(articleId, visitorHash)],
      ConsistentRead: consistent,
      ...VOTE_PROJECTION,
    });
    return typeof item?.reaction === 'string' ? item.reaction : null;
  }

  /**
   * One transaction: the rate-limit windows, the vote item (conditional on still being `from`)
   * and the visitor's counter shard. Nothing else: the article's total for GET /counts is
   * tallied from the shards off the write path (see `tally`), so no item is shared by every
   * voter of an article and a viral article does not throttle.
   */
  async change(change: VoteChange, charges: RateCharge[] = []): Promise<void> {
    const { articleId, visitorHash, shard, from, to } = change;
    const now = new Date(this.clock()).toISOString();
    const voteKey = keys.vote(articleId, visitorHash);
    const voteWrite =
      from === null
        ? {
            Put: {
              TableName: this.tableName,
              Item: { ...voteKey, entity: ENTITY.vote, articleId, reaction: to, updatedAt: now },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          }
        : to === null
          ? {
              Delete: {
                TableName: this.tableName,
                Key: voteKey,
                ConditionExpression: 'reaction = :from',
                ExpressionAttributeValues: { ':from': from },
              },
            }
          : {
              Update: {
                TableName: this.tableName,
                Key: voteKey,
                UpdateExpression: 'SET reaction = :to, updatedAt = :now',
                ConditionExpression: 'reaction = :from',
                ExpressionAttributeValues: { ':from': from, ':to': to, ':now': now },
              },
            };

    const adds: string[] = [];
    const names: Record<string, string> = { '#shard': 'shard' };
    const values: Record<string, unknown> = {
      ':entity': ENTITY.reactionCounts,
      ':articleId': articleId,
      ':shard': shard,
      ':now': now,
      ':one': 1,
    };
    if (to !== null) {
      names[placeholder(to)] = to;
      values[':up'] = 1;
      adds.push(`${placeholder(to)} :up`);
    }
    if (from !== null) {
      names[placeholder(from)] = from;
      values[':down'] = -1;
      adds.push(`${placeholder(from)} :down`);
    }
    const shardUpdate = {
      Update: {
        TableName: this.tableName,
        Key: keys.reactionShard(articleId, shard),
        UpdateExpression: `ADD ${adds.join(', ')}, writes :one SET entity = :entity, articleId = :articleId, #shard = :shard, updatedAt = :now`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    };
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [...chargeItems(this.tableName, charges), voteWrite, shardUpdate],
        }),
      );
    } catch (error) {
      const reasons = cancellationReasons(error);
      const refused = reasons ? refusedCharges(reasons, charges) : [];
      if (refused.length > 0) throw new RateLimitedError(retryAfterSeconds(refused, this.clock()));
      // Another writer got to the vote first, or to the same counter item at the same moment:
      // nothing was written, and a fresh read and retry will succeed.
      if (
        reasons?.[charges.length]?.Code === 'ConditionalCheckFailed' ||
        isTransactionConflict(reasons)
      ) {
        throw new VoteChangedError();
      }
      translateStoreError(error);
    }
  }

  /**
   * Recomputes the article's reactions from its counter shards, each reaction's count and their
   * total, and stores them on both of the article's stats items: the total for GET /counts, the
   * counts for the thread, whose one Query finds a stats item at the start of a page in either
   * order. Each shard counts its writes, so the sum of `writes` orders tallies: a stats item
   * only takes a tally made from more writes than the one it holds, and a batch replayed by the
   * stream, or two tallies racing, can never leave older counts in place.
   */
  async tally(articleId: string): Promise<void> {
    const items = await batchGetAll(this.client, this.tableName, {
      Keys: Array.from({ length: this.settings.reactionShards }, (_, shard) =>
        keys.reactionShard(articleId, shard),
      ),
      ConsistentRead: true,
      ...this.tallyProjection,
    });
    const counts: Record<string, number> = {};
    let writes = 0;
    for (const item of items) {
      if (typeof item.writes === 'number') writes += item.writes;
      for (const key of this.reactionKeys) {
        const value = item[key];
        if (typeof value === 'number') counts[key] = (counts[key] ?? 0) + value;
      }
    }
    let total = 0;
    for (const key of this.reactionKeys) {
      // A reaction is never shown below zero, whatever a counter says.
      counts[key] = Math.max(0, counts[key] ?? 0);
      total += counts[key];
    }
    const now = new Date(this.clock()).toISOString();
    await Promise.all(
      [keys.statsHead(articleId), keys.statsTail(articleId)].map((Key, index) =>
        this.storeTally(Key, index === 0, { counts, total, writes, articleId, now }),
      ),
    );
  }

  private async storeTally(
    Key: ItemKey,
    /** The head stats item, which lists the article (keys.ts ARTICLE_LIST). */
    isHead: boolean,
    tally: {
      counts: Record<string, number>;
      total: number;
      writes: number;
      articleId: string;
      now: string;
    },
  ): Promise<void> {
    const listed = ARTICLE_LIST.on(isHead);
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key,
          UpdateExpression: `SET reactionTotal = :total, reactionCounts = :counts, reactionWrites = :writes, entity = :entity, articleId = :articleId, updatedAt = :now${listed.set}`,
          ConditionExpression: 'attribute_not_exists(reactionWrites) OR reactionWrites < :writes',
          ExpressionAttributeValues: {
            ':total': tally.total,
            ':counts': tally.counts,
            ':writes': tally.writes,
            ':entity': ENTITY.articleStats,
            ':articleId': tally.articleId,
            ':now': tally.now,
            ...listed.values,
          },
        }),
      );
    } catch (error) {
      // A tally of as many or more writes is already stored: this one has nothing to add.
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return;
      translateStoreError(error);
    }
  }

  /** The count items of up to 100 articles in one batch read. */
  async counts(articleIds: readonly string[]): Promise<Map<string, ArticleCounts>> {
    const result = new Map<string, ArticleCounts>();
    if (articleIds.length === 0) return result;
    const items = await batchGetAll(this.client, this.tableName, {
      Keys: articleIds.map((id) => keys.statsHead(id)),
      ...COUNTS_PROJECTION,
    });
    for (const item of items) {
      result.set(String(item.articleId), {
        commentCount: typeof item.commentCount === 'number' ? item.commentCount : 0,
        reactionTotal: typeof item.reactionTotal === 'number' ? item.reactionTotal : 0,
      });
    }
    return result;
  }
}
