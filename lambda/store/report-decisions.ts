/**
 * The operators' side of reports (domain/reports.ts): a comment's open reports, as AdminComment
 * shows them, and their decision, recorded on each when a moderator decides the comment. Only the
 * operators' functions use it: it reads a notifier's email.
 */
import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ReportReason } from '../domain/report-reasons';
import type { ReportDecision, ReportDecisions, StoredReport } from '../domain/reports';
import { translateStoreError } from './errors';
import { keys } from './keys';

type Item = Record<string, unknown>;

export class ReportDecisionRepository implements ReportDecisions {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** The comment's reports not yet decided: one Query of its reports' partition (paged). */
  private async open(commentId: string): Promise<Item[]> {
    const items: Item[] = [];
    let start: Item | undefined;
    try {
      do {
        const output = await this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'PK = :pk',
            FilterExpression: 'attribute_not_exists(decidedAt)',
            ExpressionAttributeValues: { ':pk': keys.reportsOf(commentId) },
            ExclusiveStartKey: start,
          }),
        );
        items.push(...(output.Items ?? []));
        start = output.LastEvaluatedKey;
      } while (start);
    } catch (error) {
      translateStoreError(error);
    }
    return items;
  }

  async openReports(commentId: string): Promise<StoredReport[]> {
    return (await this.open(commentId)).map((item) => ({
      reason: String(item.reason) as ReportReason,
      receivedAt: String(item.receivedAt),
      ...(typeof item.explanation === 'string' ? { explanation: item.explanation } : {}),
      ...(typeof item.email === 'string' ? { email: item.email } : {}),
    }));
  }

  /**
   * Each open report records the decision and its time (what a notifier is told, and what the
   * transparency counts read), each on the condition that it is still open, so a decision made
   * twice records the first.
   */
  async decide(commentId: string, decision: ReportDecision, at: string): Promise<void> {
    for (const item of await this.open(commentId)) {
      try {
        await this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { PK: item.PK, SK: item.SK },
            UpdateExpression: 'SET decidedAt = :at, decision = :decision',
            ConditionExpression: 'attribute_not_exists(decidedAt)',
            ExpressionAttributeValues: { ':at': at, ':decision': decision },
          }),
        );
      } catch (error) {
        if (error instanceof Error && error.name === 'ConditionalCheckFailedException') continue;
        translateStoreError(error);
      }
    }
  }
}
