/**
 * An article's reaction items as stored in a test table, read the way a test wants to check
 * them: the counter shards and their sum, the article's count item (the tallied total GET
 * /counts reads) and the votes. Also a document client that lets a test see, or hold back,
 * what a repository sends.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_REACTIONS } from '../../lambda/domain/settings';
import { keys } from '../../lambda/store/keys';
import type { TestTable } from './dynamodb';

type Item = Record<string, unknown>;

export const REACTION_KEYS = DEFAULT_REACTIONS.map((reaction) => reaction.key);

export interface StoredReactions {
  /** The ReactionCounts shards of the article, in key order. */
  shards: Item[];
  /** Every reaction's count, summed over the shards (0 for a reaction never chosen). */
  counts: Record<string, number>;
  /** The sum of `counts`: the total the shards hold now. */
  shardTotal: number;
  /** The sum of the shards' `writes`: one per vote transaction. */
  shardWrites: number;
  /** The article's count item (keys.statsHead), if any. */
  stats: Item | undefined;
  votes: Item[];
}

export function reactionsIn(
  items: Item[],
  articleId: string,
  reactionKeys: string[] = REACTION_KEYS,
): StoredReactions {
  const shards = items.filter(
    (item) => item.entity === 'ReactionCounts' && item.articleId === articleId,
  );
  const counts: Record<string, number> = Object.fromEntries(reactionKeys.map((key) => [key, 0]));
  let shardWrites = 0;
  for (const shard of shards) {
    for (const key of reactionKeys) counts[key] = (counts[key] ?? 0) + Number(shard[key] ?? 0);
    shardWrites += Number(shard.writes ?? 0);
  }
  return {
    shards,
    counts,
    shardTotal: Object.values(counts).reduce((a, b) => a + b, 0),
    shardWrites,
    stats: items.find((item) => {
      const head = keys.statsHead(articleId);
      return item.PK === head.PK && item.SK === head.SK;
    }),
    votes: items.filter((item) => item.entity === 'Vote' && item.articleId === articleId),
  };
}

/** The article's reaction items, read consistently from the whole table. */
export async function storedReactions(
  table: Pick<TestTable, 'scanAll'>,
  articleId: string,
  reactionKeys?: string[],
): Promise<StoredReactions> {
  return reactionsIn(await table.scanAll(), articleId, reactionKeys);
}

export interface SentCommand {
  name: string;
  input: Record<string, unknown>;
}

/**
 * The same client, except that every command goes through `before` first (which may record it,
 * or hold it back until the test lets it go). Commands are named by class, e.g. UpdateCommand.
 */
export function interceptedClient(
  client: DynamoDBDocumentClient,
  before: (command: SentCommand) => void | Promise<void>,
): DynamoDBDocumentClient {
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property !== 'send') return Reflect.get(target, property, receiver);
      return async (command: { constructor: { name: string }; input: unknown }, ...rest: []) => {
        await before({
          name: command.constructor.name,
          input: command.input as Record<string, unknown>,
        });
        return (target.send as (...args: unknown[]) => Promise<unknown>).call(
          target,
          command,
          ...rest,
        );
      };
    },
  });
}

/** A promise the test resolves when it chooses. */
export function gate(): { opened: Promise<void>; open(): void } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}
