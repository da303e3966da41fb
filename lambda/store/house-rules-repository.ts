/**
 * The house rules the console edits (lambda/domain/screen-rules.ts): one item, read by its
 * attributes (the screening functions' IAM read condition allows only those)
 * and replaced whole on the condition that its version is the one the change was made from.
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DisposableAction } from '../domain/house-rules';
import type { HouseRules, RulesStore, VersionedRules } from '../domain/screen-rules';
import { HOUSE_RULES_ATTRIBUTES } from './attributes';
import { translateStoreError } from './errors';
import { ENTITY, keys } from './keys';

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

const PROJECTION = {
  // Some of the names (`block`, `hold`) are DynamoDB reserved words: every one goes by a placeholder.
  ProjectionExpression: HOUSE_RULES_ATTRIBUTES.map((name) => `#${name}`).join(', '),
  ExpressionAttributeNames: Object.fromEntries(
    HOUSE_RULES_ATTRIBUTES.map((name) => [`#${name}`, name]),
  ),
};
const DISPOSABLE: readonly string[] = ['allow', 'hold', 'refuse'] satisfies DisposableAction[];

export class HouseRulesRepository implements RulesStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async readRules(consistent: boolean): Promise<VersionedRules | undefined> {
    try {
      const output = await this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: keys.houseRules(),
          ConsistentRead: consistent,
          ...PROJECTION,
        }),
      );
      const item = output.Item;
      if (!item) return undefined;
      return {
        hold: strings(item.hold),
        block: strings(item.block),
        emailDomains: {
          disposable: DISPOSABLE.includes(item.emailDisposable)
            ? (item.emailDisposable as DisposableAction)
            : 'allow',
          hold: strings(item.emailHold),
          block: strings(item.emailBlock),
        },
        version: Number(item.version),
        updatedAt: typeof item.updatedAt === 'string' ? item.updatedAt : null,
      };
    } catch (error) {
      return translateStoreError(error);
    }
  }

  async writeRules(rules: HouseRules, version: number, now: string): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.houseRules(),
            entity: ENTITY.houseRules,
            hold: rules.hold,
            block: rules.block,
            emailHold: rules.emailDomains.hold,
            emailBlock: rules.emailDomains.block,
            emailDisposable: rules.emailDomains.disposable,
            version,
            updatedAt: now,
          },
          // The first version replaces nothing; any later one the version it was made from.
          ConditionExpression: version === 1 ? 'attribute_not_exists(PK)' : 'version = :previous',
          ...(version === 1 ? {} : { ExpressionAttributeValues: { ':previous': version - 1 } }),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
      return translateStoreError(error);
    }
  }
}
