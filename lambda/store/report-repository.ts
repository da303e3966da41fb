/**
 * Reports on the table (domain/reports.ts): one item per reporter under its comment
 * (REPORTS#<commentId>, REPORT#<reporterHash>), put only if absent, so a reporter counts once; the
 * comment's `reportCount` in the same transaction, whose condition decides, exactly under
 * concurrency, which report reaches the threshold: that one's transaction also moves the comment
 * to pending with the reason `reported`, and its counts (and a pin) with it.
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { backoff } from '../domain/backoff';
import { RateLimitedError, ServiceBusyError } from '../domain/errors';
import { type RateCharge, retryAfterSeconds } from '../domain/rate-limit';
import type { NewReport, ReportedComment, ReportStore } from '../domain/reports';
import { projection, REPORT_COMMENT_READ_ATTRIBUTES, REPORT_READ_ATTRIBUTES } from './attributes';
import { batchGetAll } from './batch-get';
import { countUpdates } from './comment-items';
import { cancellationReasons, isTransactionConflict, translateStoreError } from './errors';
import { ENTITY, keys } from './keys';
import { chargeItems, refusedCharges } from './rate-windows';

/** The hold a report puts on a comment (AdminComment.holdReasons). */
export const REPORTED = 'reported';

type Step = 'count' | 'hide' | 'record';
type Outcome = 'counted' | 'hidden' | 'duplicate' | 'comment-changed';

const ATTEMPTS = 4;

export class ReportRepository implements ReportStore {
  private readonly readProjection = projection(REPORT_READ_ATTRIBUTES);
  private readonly commentProjection = projection(REPORT_COMMENT_READ_ATTRIBUTES);

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: () => number = () => Date.now(),
  ) {}

  async read(commentId: string, reporterHash: string) {
    const items = await batchGetAll(this.client, this.tableName, {
      Keys: [keys.commentSignals(commentId), keys.report(commentId, reporterHash)],
      ConsistentRead: false,
      ...this.readProjection,
    });
    const signals = items.find((item) => item.entity === ENTITY.commentSignals);
    return {
      reported: items.some((item) => item.entity === ENTITY.report),
      ...(signals
        ? {
            comment: {
              articleId: String(signals.articleId),
              createdAt: String(signals.createdAt),
              commentId,
              published: signals.published === true,
              pinned: signals.pinned === true,
            },
          }
        : {}),
    };
  }

  async file(
    report: NewReport,
    comment: ReportedComment,
    rule: { threshold: number; hideAtOnce: boolean },
    charges: RateCharge[],
  ): Promise<'counted' | 'hidden' | 'duplicate'> {
    // A threshold of 1 is reached by every report.
    let step: Step = rule.hideAtOnce || rule.threshold <= 1 ? 'hide' : 'count';
    let current = comment;
    let checkedComment = false;
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const outcome = await this.write(step, report, current, rule.threshold, charges);
      if (outcome === 'conflict') {
        await backoff(attempt, 20);
        continue;
      }
      if (outcome !== 'comment-changed') return outcome;
      if (step === 'count') {
        // This report reaches the threshold (or the comment is no longer public).
        step = 'hide';
      } else if (step === 'hide' && !checkedComment) {
        // The signals were behind the comment (a pin, or a decision): read it itself, once.
        checkedComment = true;
        const found = await this.comment(current);
        if (found?.published) current = { ...current, pinned: found.pinned };
        else step = 'record';
      } else {
        step = 'record';
      }
    }
    throw new ServiceBusyError('the reported comment kept changing concurrently');
  }

  private async comment(comment: ReportedComment) {
    try {
      const { Item } = await this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: keys.comment(comment.articleId, comment.createdAt, comment.commentId),
          ConsistentRead: true,
          ...this.commentProjection,
        }),
      );
      return Item
        ? { published: Item.status === 'published', pinned: Item.pinned === true }
        : undefined;
    } catch (error) {
      return translateStoreError(error);
    }
  }

  private async write(
    step: Step,
    report: NewReport,
    comment: ReportedComment,
    threshold: number,
    charges: RateCharge[],
  ): Promise<Outcome | 'conflict'> {
    const { commentId, reporterHash, receivedAt } = report;
    const { articleId } = comment;
    const put = {
      Put: {
        TableName: this.tableName,
        Item: {
          ...keys.report(commentId, reporterHash),
          entity: ENTITY.report,
          articleId,
          reason: report.reason,
          explanation: report.explanation,
          email: report.email,
          goodFaith: report.goodFaith,
          receivedAt,
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    };
    const Key = keys.comment(articleId, comment.createdAt, commentId);
    const onComment =
      step === 'count'
        ? [
            {
              Update: {
                TableName: this.tableName,
                Key,
                UpdateExpression: 'ADD reportCount :one SET reportedAt = :now',
                // After this report the count is still under the threshold.
                ConditionExpression:
                  '#status = :published AND (attribute_not_exists(reportCount) OR reportCount < :below)',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: {
                  ':one': 1,
                  ':now': receivedAt,
                  ':published': 'published',
                  ':below': threshold - 1,
                },
              },
            },
          ]
        : step === 'hide'
          ? [
              {
                Update: {
                  TableName: this.tableName,
                  Key,
                  UpdateExpression: `ADD reportCount :one SET #status = :pending, holdReasons = :reasons, reportedAt = :now, moderatedAt = :now${comment.pinned ? ' REMOVE pinned' : ''}`,
                  ConditionExpression: `#status = :published AND ${comment.pinned ? 'pinned = :true' : 'attribute_not_exists(pinned)'}`,
                  ExpressionAttributeNames: { '#status': 'status' },
                  ExpressionAttributeValues: {
                    ':one': 1,
                    ':pending': 'pending',
                    ':reasons': [REPORTED],
                    ':now': receivedAt,
                    ':published': 'published',
                    ...(comment.pinned ? { ':true': true } : {}),
                  },
                },
              },
              // Out of the public counts, and out of the pinned ones.
              ...countUpdates(this.tableName, articleId, -1, receivedAt, {
                unpin: comment.pinned ? commentId : undefined,
              }),
            ]
          : [];
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [...chargeItems(this.tableName, charges), put, ...onComment],
        }),
      );
      return step === 'hide' ? 'hidden' : 'counted';
    } catch (error) {
      const reasons = cancellationReasons(error);
      if (reasons) {
        const refused = refusedCharges(reasons, charges);
        if (refused.length > 0)
          throw new RateLimitedError(retryAfterSeconds(refused, this.clock()));
        if (reasons[charges.length]?.Code === 'ConditionalCheckFailed') return 'duplicate';
        if (reasons[charges.length + 1]?.Code === 'ConditionalCheckFailed') {
          return 'comment-changed';
        }
        if (isTransactionConflict(reasons)) return 'conflict';
      }
      return translateStoreError(error);
    }
  }
}
