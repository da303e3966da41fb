import type { DynamoDBStreamEvent } from 'aws-lambda';
import { signalsFrom, tallyFrom } from '../areas';
import { followSignals } from '../domain/signals';
import { tallyArticles } from '../domain/tally';
import { type HandlerDeps, loadHandlerDeps } from '../runtime';
import { articlesOfVoteKeys, commentsOfKeys, commentsOfLikeKeys } from '../store/keys';

/**
 * The table's stream consumer: for every article whose votes changed in this batch, recompute
 * the reaction total that GET /counts reads; for every comment written, its signals item; for
 * every comment liked, its likes (domain/signals.ts). Not an HTTP route. A failure throws, so
 * Lambda retries the batch; tallies and syncs are idempotent.
 */
export function createHandler({ areas }: HandlerDeps<'tally' | 'signals'>) {
  return async (event: DynamoDBStreamEvent): Promise<void> => {
    const keys = event.Records.map((record) => ({
      PK: record.dynamodb?.Keys?.PK?.S,
      SK: record.dynamodb?.Keys?.SK?.S,
    }));
    await tallyArticles(areas.tally, articlesOfVoteKeys(keys));
    await followSignals(areas.signals, {
      comments: commentsOfKeys(keys),
      liked: commentsOfLikeKeys(keys),
    });
  };
}

export const handler = createHandler(loadHandlerDeps({ tally: tallyFrom, signals: signalsFrom }));
