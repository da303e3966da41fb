import type { DynamoDBStreamEvent } from 'aws-lambda';
import { tallyFrom } from '../areas';
import { tallyArticles } from '../domain/tally';
import { type HandlerDeps, loadHandlerDeps } from '../runtime';
import { articlesOfVoteKeys } from '../store/keys';

/**
 * The table's stream consumer: for every article whose votes changed in this batch, recompute
 * the reaction total that GET /counts reads. Not an HTTP route. A failure throws, so Lambda
 * retries the batch; tallies are idempotent.
 */
export function createHandler({ areas }: HandlerDeps<'tally'>) {
  return async (event: DynamoDBStreamEvent): Promise<void> => {
    const keys = event.Records.map((record) => ({
      PK: record.dynamodb?.Keys?.PK?.S,
      SK: record.dynamodb?.Keys?.SK?.S,
    }));
    await tallyArticles(areas.tally, articlesOfVoteKeys(keys));
  };
}

export const handler = createHandler(loadHandlerDeps({ tally: tallyFrom }));
