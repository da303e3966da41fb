import { backoff } from './backoff';
import { ServiceBusyError, VoteChangedError } from './errors';
import type { Clock } from './ids';
import type { KeyedHasher } from './keyed-hash';
import type { ArticleCounts, CountsStore, ReactionState, ReactionStore } from './ports';
import { clientHash, rateCharges } from './rate-limit';
import type { Settings } from './settings';

export interface ReactionsView {
  articleId: string;
  counts: Record<string, number>;
  total: number;
  mine: string | null;
}

export interface ReactionDeps {
  store: ReactionStore;
  hasher: KeyedHasher;
  settings: Settings;
  clock: Clock;
}

/** How often a vote change is re-read and retried when a concurrent change beat it. */
const MAX_ATTEMPTS = 5;

/** Full jitter from 10 ms: 0-10 ms, then 0-20, 0-40... */
const BACKOFF_BASE_MS = 10;

export function visitorHash(hasher: KeyedHasher, visitorId: string): string {
  return hasher.hash('visitor', visitorId);
}

/** The counter shard a visitor's vote lives in: fixed per visitor, so a switch touches one item. */
export function shardOf(hash: string, shards: number): number {
  return Buffer.from(hash, 'base64url').readUInt16BE(0) % shards;
}

export function toView(settings: Settings, articleId: string, state: ReactionState): ReactionsView {
  const counts: Record<string, number> = {};
  let total = 0;
  for (const { key } of settings.reactions) {
    // A count never shows below zero, even if an operator edited the table by hand.
    const count = Math.max(0, state.counts[key] ?? 0);
    counts[key] = count;
    total += count;
  }
  const configured = settings.reactions.some((reaction) => reaction.key === state.mine);
  return { articleId, counts, total, mine: configured ? state.mine : null };
}

export async function getReactions(
  deps: ReactionDeps,
  articleId: string,
  visitorId: string | undefined,
): Promise<ReactionsView> {
  const hash = visitorId === undefined ? undefined : visitorHash(deps.hasher, visitorId);
  return toView(deps.settings, articleId, await deps.store.readForView(articleId, hash));
}

/**
 * Moves the visitor's vote to `reaction` (or removes it when null). One eventually consistent
 * read gives the counts and, usually, the visitor's current vote; the change is written in one
 * transaction conditional on that vote, so a stale read can never count twice: it fails the
 * condition, and the vote is then read again strongly consistently and the change retried. A
 * read that says there is nothing to do is confirmed the same way before the answer is given.
 * The answer is the counts read plus this change.
 */
export async function setReaction(
  deps: ReactionDeps,
  request: { articleId: string; visitorId: string; reaction: string | null; sourceIp: string },
): Promise<ReactionsView> {
  const { articleId, reaction } = request;
  const hash = visitorHash(deps.hasher, request.visitorId);
  const client = clientHash(deps.hasher, request.sourceIp);
  const shard = shardOf(hash, deps.settings.reactionShards);
  const state = await deps.store.read(articleId, hash);
  let from = state.mine;
  let confirmed = false;
  const answer = () => {
    const counts = { ...state.counts };
    if (state.mine !== null) counts[state.mine] = (counts[state.mine] ?? 0) - 1;
    if (reaction !== null) counts[reaction] = (counts[reaction] ?? 0) + 1;
    return toView(deps.settings, articleId, { counts, mine: reaction });
  };
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (from === reaction) {
      if (confirmed) return answer();
      from = await deps.store.currentVote(articleId, hash);
      confirmed = true;
      if (from === reaction) return answer();
    }
    try {
      await deps.store.change(
        { articleId, visitorHash: hash, shard, from, to: reaction },
        rateCharges(deps.settings.rateLimits, 'reaction', client, deps.clock()),
      );
      return answer();
    } catch (error) {
      if (!(error instanceof VoteChangedError)) throw error;
      await backoff(attempt, BACKOFF_BASE_MS);
      from = await deps.store.currentVote(articleId, hash);
      confirmed = true;
    }
  }
  throw new ServiceBusyError('the vote kept changing concurrently');
}

const NO_COUNTS: ArticleCounts = Object.freeze({ commentCount: 0, reactionTotal: 0 });

/**
 * The totals of each article, in the order asked, zeros for unknown ones; `articleIds` are
 * distinct (the counts query schema dedupes them).
 */
export async function getCounts(
  store: CountsStore,
  articleIds: readonly string[],
): Promise<[articleId: string, counts: ArticleCounts][]> {
  const found = await store.counts(articleIds);
  return articleIds.map((id) => {
    const counts = found.get(id);
    return [
      id,
      counts === undefined
        ? NO_COUNTS
        : {
            commentCount: Math.max(0, counts.commentCount),
            reactionTotal: Math.max(0, counts.reactionTotal),
          },
    ];
  });
}
