import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  ApplicationLogLevel,
  Architecture,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { Settings } from '../lambda/domain/settings';
import type { TableAccess } from '../lambda/routes';
import { OWNER_ATTRIBUTES, publicAttributes } from '../lambda/store/attributes';
import { TABLE_DEFINITION } from '../lambda/store/table-definition';

/**
 * ESM bundles of SDK v3 code call `require` for Node built-ins; ESM has no `require`, so the
 * bundle defines one (without it the import fails with `Dynamic require of "node:https" is not
 * supported`; see docs/architecture.md, "Lambda bundles").
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'module';const require = createRequire(import.meta.url);";

export interface TalkbackFunctionProps {
  /** The TypeScript module that exports `handler`. */
  entry: string;
  environment?: Record<string, string>;
  logRetention: RetentionDays;
  /** Of the function's log group; RETAIN unless the stack is a disposable dev stack. */
  removalPolicy: RemovalPolicy;
  description?: string;
  /** Default 10 s: an HTTP function must end well within API Gateway's 30 s. */
  timeout?: Duration;
  /** The most instances that may run at once. Default: none reserved (the account's pool). */
  reservedConcurrentExecutions?: number;
}

/**
 * The timeouts, innermost first, so each layer gives up before the one around it and answers
 * for itself: the DynamoDB client's request timeout (about 3 s a try, at most 3 tries, set in
 * lambda/store/client.ts) ends inside the function's 10 s, so a slow table becomes a 503 with
 * Retry-After from the function; the function's 10 s ends inside API Gateway's fixed 30 s
 * integration timeout, so a stuck function is the function's own error, not a gateway timeout.
 */
export const HTTP_FUNCTION_TIMEOUT = Duration.seconds(10);

/**
 * Every function's memory, in MB, chosen by `npm run bench` (test/bench/memory.ts): the smallest
 * size at which every function's peak memory stays under 60% of it and its modelled cold start
 * and warm request stay short (the rule is SIZING_RULE in test/bench/memory-model.ts). Lambda
 * gives CPU in proportion to memory, so this also sets the CPU share. See docs/operations.md, "Memory size".
 */
export const FUNCTION_MEMORY_MB = 512;

const READ_ACTIONS = ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:BatchGetItem'];

/** A write may not return whole old or new items (ALL_OLD / ALL_NEW), which carry the email. */
const NO_WHOLE_ITEMS = {
  StringEqualsIfExists: { 'dynamodb:ReturnValues': ['NONE', 'UPDATED_OLD', 'UPDATED_NEW'] },
};

/**
 * The conditions that confine a read to an allow-list of attributes.
 *
 * - `ForAllValues:StringEquals dynamodb:Attributes`: every attribute the request names (its
 *   projection, and its key and filter attributes) must be on the allow-list, which has no
 *   email.
 * - `Null dynamodb:Attributes = false`: a `ForAllValues` condition is true when the request
 *   carries no attribute names at all, and a GetItem, BatchGetItem or Query without a
 *   ProjectionExpression names none and returns the whole item. Requiring the key to be
 *   present refuses such a "give me everything" read outright, whatever the action.
 * - `StringEqualsIfExists dynamodb:Select = SPECIFIC_ATTRIBUTES`: Select exists only on Query
 *   and Scan; when it is given it must not be ALL_ATTRIBUTES (or an index's
 *   ALL_PROJECTED_ATTRIBUTES), which would return attributes beyond the projection. GetItem and
 *   BatchGetItem have no Select, hence IfExists; for them the two Attributes conditions decide.
 *
 * This is AWS's documented pattern for attribute-level access (IAM User Guide, "Amazon
 * DynamoDB: Allows access to specific attributes") with the Null guard added.
 */
export function attributeReadConditions(
  allowList: readonly string[],
): Record<string, Record<string, unknown>> {
  return {
    'ForAllValues:StringEquals': { 'dynamodb:Attributes': [...allowList] },
    Null: { 'dynamodb:Attributes': 'false' },
    StringEqualsIfExists: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' },
  };
}

/** What public reads may fetch: the public attributes of every item type. */
export function publicReadConditions(settings: Settings): Record<string, Record<string, unknown>> {
  return attributeReadConditions(publicAttributes(settings));
}

/**
 * What the reaction tally may read: the public attributes (the counter shards' reaction keys and
 * their keys) and the shards' `writes` count, which orders tallies. Never the email, its hash or
 * the edit token's hash.
 */
export function tallyReadAttributes(settings: Settings): string[] {
  return [...publicAttributes(settings), 'writes'];
}

/**
 * What the author's own routes may read of their comment: the key, the public fields and the
 * edit token's hash (to check the token). Never the email or its hash.
 */
export const OWNER_READ_ATTRIBUTES: readonly string[] = [
  TABLE_DEFINITION.partitionKey.name,
  TABLE_DEFINITION.sortKey.name,
  ...OWNER_ATTRIBUTES,
];

/**
 * A Talkback Lambda function with the house defaults: Node.js 24 on arm64, an ESM bundle that
 * includes the AWS SDK (one pinned SDK version, no dependence on the runtime's copy), source
 * maps, X-Ray tracing, its own log group with a retention, and a role that starts with
 * nothing but writing to that log group.
 */
export class TalkbackFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: TalkbackFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    // An explicit role instead of the AWSLambdaBasicExecutionRole managed policy, whose log
    // permissions cover every log group in the account.
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the Talkback ${id} function`,
    });
    super(scope, id, {
      entry: props.entry,
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: FUNCTION_MEMORY_MB,
      timeout: props.timeout ?? HTTP_FUNCTION_TIMEOUT,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      tracing: Tracing.ACTIVE,
      logGroup,
      // Lambda's own JSON format: the handlers' lines (already JSON with a level) pass through
      // as written and can be filtered by level; Lambda's platform lines become JSON too. WARN
      // drops the START and REPORT lines of every invocation (the Duration metric keeps the
      // timing); set INFO for a while to read REPORT's max memory used when sizing memory.
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      systemLogLevelV2: SystemLogLevel.WARN,
      role,
      environment: { NODE_OPTIONS: '--enable-source-maps', ...props.environment },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node24',
        mainFields: ['module', 'main'],
        minify: true,
        sourceMap: true,
        banner: ESM_REQUIRE_BANNER,
        bundleAwsSDK: true,
      },
    });
    logGroup.grantWrite(role);
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only the X-Ray statement that Tracing.ACTIVE adds has Resource "*": ' +
        'xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions.',
    });
  }

  /** Gives the function exactly the table access its route needs, and no more. */
  grantTableAccess(table: ITableV2, access: TableAccess, settings: Settings): void {
    switch (access) {
      case 'none':
        return;
      case 'public-read':
        this.allowOnTable(table, READ_ACTIONS, publicReadConditions(settings));
        return;
      case 'comment-write':
        // The TransactWriteItems of a new comment: Update the rate-limit windows, ConditionCheck
        // the parent, Put the comment, Update the counts and the author item. Writing a comment
        // needs no read, and no write may hand a whole item (another comment's email) back.
        this.allowOnTable(
          table,
          ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'],
          NO_WHOLE_ITEMS,
        );
        return;
      case 'reaction-write':
        // Reads the counters and the visitor's vote (public attributes only), then one
        // TransactWriteItems: Put/Update/Delete the vote and Update the counters; and Updates
        // of its rate-limit windows.
        this.allowOnTable(table, ['dynamodb:BatchGetItem'], publicReadConditions(settings));
        this.allowOnTable(
          table,
          ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
          NO_WHOLE_ITEMS,
        );
        return;
      case 'own-comment':
        // A GetItem of the comment projected to the owner's attributes, then one
        // TransactWriteItems: Update or Delete the comment and Update the two count items.
        this.allowOnTable(
          table,
          ['dynamodb:GetItem'],
          attributeReadConditions(OWNER_READ_ATTRIBUTES),
        );
        this.allowOnTable(table, ['dynamodb:UpdateItem', 'dynamodb:DeleteItem'], NO_WHOLE_ITEMS);
        return;
      case 'admin':
        // Operators read whole comments, email included: the moderation queue, a comment by
        // id and an email's comments come from the indexes (named, not index/*), the comment
        // itself from a consistent GetItem, one article's queue from a Query of its partition,
        // and which authors have published from a BatchGetItem of author items. Status changes
        // are one TransactWriteItems of Update/Delete and Updates of the counts; erasure Updates
        // each comment and Deletes the author item; a staff reply is a new comment's
        // transaction (Put, ConditionCheck of the parent, count Updates). No Scan.
        this.addToRolePolicy(
          new PolicyStatement({
            actions: ['dynamodb:Query'],
            resources: TABLE_DEFINITION.globalIndexes.map(
              (index) => `${table.tableArn}/index/${index.indexName}`,
            ),
          }),
        );
        this.allowOnTable(table, [
          'dynamodb:GetItem',
          'dynamodb:BatchGetItem',
          'dynamodb:Query',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
          'dynamodb:ConditionCheckItem',
        ]);
        return;
      default:
        unknownAccess(access);
    }
  }

  /**
   * The reaction tally's table access (not a route, so not a TableAccess of the route table):
   * one consistent BatchGetItem of an article's counter shards, projected to their `writes` and
   * reaction counts, and one conditional UpdateItem of the article's count item. Reading the
   * table's stream is granted by its event source (see ReactionTally).
   */
  grantReactionTally(table: ITableV2, settings: Settings): void {
    this.allowOnTable(
      table,
      ['dynamodb:BatchGetItem'],
      attributeReadConditions(tallyReadAttributes(settings)),
    );
    this.allowOnTable(table, ['dynamodb:UpdateItem'], NO_WHOLE_ITEMS);
  }

  /** Allows the actions on the table itself (not its indexes), under the given conditions. */
  private allowOnTable(
    table: ITableV2,
    actions: string[],
    conditions?: Record<string, Record<string, unknown>>,
  ): void {
    this.addToRolePolicy(
      new PolicyStatement({
        actions,
        resources: [table.tableArn],
        ...(conditions ? { conditions } : {}),
      }),
    );
  }
}

/** A new TableAccess kind fails to compile here until grantTableAccess handles it. */
function unknownAccess(access: never): never {
  throw new Error(`no grant for table access ${String(access)}`);
}
