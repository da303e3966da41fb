/**
 * Operational metrics as CloudWatch Embedded Metric Format: one JSON line on stdout, from which
 * CloudWatch Logs extracts the metrics, so no SDK call or dependency sits on the request path.
 *
 * Each request collects its counts in its own scope (AsyncLocalStorage, so requests served
 * concurrently by the local server never mix), and httpHandler writes them as at most one line
 * when the request ends. Names and dimension values come from closed sets in this file: no
 * metric or dimension can carry anything a client sent.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { CommentStatus } from '../domain/comment';
import type { CommentStore, ReactionStore } from '../domain/ports';

export const METRICS_NAMESPACE = 'Talkback';
export const SERVICE_NAME = 'talkback';

export type CountMetric =
  /** Comments stored, also per resulting Status (published, pending, spam). */
  | 'CommentsPosted'
  /** Vote changes committed (a repeat of the same vote writes nothing and is not counted). */
  | 'ReactionsWritten'
  /** Requests answered 429. */
  | 'RateLimited'
  /** Requests answered 400 with field errors. */
  | 'ValidationFailures'
  /** Requests answered 503 because DynamoDB throttled, timed out or kept a transaction conflicting. */
  | 'DynamoDbThrottles';

interface MetricDirective {
  Namespace: string;
  Dimensions: string[][];
  Metrics: { Name: CountMetric; Unit: 'Count' }[];
}

export type MetricsSink = (line: string) => void;

let sink: MetricsSink = (line) => process.stdout.write(`${line}\n`);

/** Tests capture what would be written. */
export function setMetricsSink(next: MetricsSink): void {
  sink = next;
}

/** The counts of one request. */
export class RequestMetrics {
  private readonly counts = new Map<CountMetric, number>();
  private commentStatus: CommentStatus | undefined;

  /** Runs `work` with this request's metrics as the ones `countMetric` adds to. */
  run<T>(work: () => Promise<T>): Promise<T> {
    return scope.run(this, work);
  }

  count(name: CountMetric): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
  }

  commentPosted(status: CommentStatus): void {
    this.count('CommentsPosted');
    this.commentStatus = status;
  }

  /** Writes the EMF line, unless nothing was counted. `context` names code, never data. */
  flush(context: { requestId: string; route: string }, timestamp = Date.now()): void {
    if (this.counts.size === 0) return;
    const byService: MetricDirective = {
      Namespace: METRICS_NAMESPACE,
      Dimensions: [['Service']],
      Metrics: [],
    };
    const byStatus: MetricDirective = {
      Namespace: METRICS_NAMESPACE,
      Dimensions: [['Service'], ['Service', 'Status']],
      Metrics: [],
    };
    const values: Partial<Record<CountMetric, number>> = {};
    for (const [name, value] of this.counts) {
      const directive = name === 'CommentsPosted' && this.commentStatus ? byStatus : byService;
      directive.Metrics.push({ Name: name, Unit: 'Count' });
      values[name] = value;
    }
    sink(
      JSON.stringify({
        _aws: {
          Timestamp: timestamp,
          CloudWatchMetrics: [byService, byStatus].filter((d) => d.Metrics.length > 0),
        },
        Service: SERVICE_NAME,
        ...(byStatus.Metrics.length > 0 ? { Status: this.commentStatus } : {}),
        ...values,
        // Plain properties, not dimensions: searchable in Logs Insights at no metric cost.
        requestId: context.requestId,
        route: context.route,
      }),
    );
  }
}

const scope = new AsyncLocalStorage<RequestMetrics>();

/** Counts in the current request's metrics; outside a request (a stream batch) it counts nothing. */
export function countMetric(name: CountMetric): void {
  scope.getStore()?.count(name);
}

/** The comment store, counting each comment it stores by the status it was stored with. */
export function countingCommentStore(store: CommentStore): CommentStore {
  return {
    insert: async (record, options) => {
      const status = await store.insert(record, options);
      scope.getStore()?.commentPosted(status);
      return status;
    },
    gate: (articleId, commenterId) => store.gate(articleId, commenterId),
    page: (query) => store.page(query),
    find: (articleId, commentId) => store.find(articleId, commentId),
    findWithArticle: (articleId, commentId) => store.findWithArticle(articleId, commentId),
    changeBody: (current, change) => store.changeBody(current, change),
    remove: (current) => store.remove(current),
  };
}

/** The reaction store, counting each vote change once its transaction has committed. */
export function countingReactionStore(store: ReactionStore): ReactionStore {
  return {
    read: (articleId, visitorHash) => store.read(articleId, visitorHash),
    readForView: (articleId, visitorHash) => store.readForView(articleId, visitorHash),
    currentVote: (articleId, visitorHash) => store.currentVote(articleId, visitorHash),
    change: async (change, charges) => {
      await store.change(change, charges);
      countMetric('ReactionsWritten');
    },
  };
}
