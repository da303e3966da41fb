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
import {
  LINK_ACTION_ATTRIBUTES,
  LINK_PAGE_ATTRIBUTES,
} from '../lambda/store/moderation-link-repository';
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
  /** Constants esbuild puts in place of expressions, so that it can drop dead branches. */
  define?: Record<string, string>;
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

/**
 * A write hands nothing back: `dynamodb:ReturnValues` NONE (or absent). UPDATED_OLD or
 * UPDATED_NEW would let a function `SET email = email` and read the email from the answer;
 * ALL_OLD / ALL_NEW would return whole items. No code sets ReturnValues.
 */
const RETURNS_NOTHING = { 'dynamodb:ReturnValues': 'NONE' };

/** `ForAllValues:StringLike` patterns on `dynamodb:LeadingKeys`: the partitions a grant may touch. */
export const PARTITIONS = {
  article: 'ARTICLE#*',
  reactions: 'REACTIONS#*',
  vote: 'VOTE#*',
  author: 'AUTHOR#*',
  client: 'CLIENT#*',
  subscriber: 'SUBSCRIBER#*',
  mailMarker: 'MAIL#*',
  /** Markers of used moderator links (lambda/store/moderation-link-repository.ts). */
  link: 'LINK#*',
  /** Markers of imported reaction counts (lambda/store/import-repository.ts). */
  imported: 'IMPORT#*',
} as const;

type Conditions = Record<string, Record<string, unknown>>;

/**
 * The conditions that confine a write (PutItem, UpdateItem, DeleteItem, ConditionCheckItem,
 * also as actions of a TransactWriteItems, whose actions IAM authorizes as these) to an
 * allow-list of attributes and to some partitions, handing nothing back.
 *
 * - `ForAllValues:StringEquals dynamodb:Attributes`: every attribute the request names (its
 *   item's, its update's and its condition's) is on the list, so a write that does not need the
 *   email cannot name it, neither to set it nor to test it in a condition (`begins_with(email,
 *   :guess)` would probe it one character at a time).
 * - `Null dynamodb:Attributes = false`: a request that names no attribute at all is refused, as
 *   for reads; every write Talkback makes names at least one.
 * - `ForAllValues:StringLike dynamodb:LeadingKeys`: the partition keys it may touch.
 * - `StringEqualsIfExists dynamodb:ReturnValues = NONE`.
 */
export function attributeWriteConditions(
  allowList: readonly string[],
  partitions: readonly string[],
): Conditions {
  return {
    'ForAllValues:StringEquals': { 'dynamodb:Attributes': unique(allowList) },
    'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...partitions] },
    Null: { 'dynamodb:Attributes': 'false' },
    StringEqualsIfExists: RETURNS_NOTHING,
  };
}

const unique = (names: readonly string[]): string[] => [...new Set(names)];

const KEY_ATTRIBUTES = [TABLE_DEFINITION.partitionKey.name, TABLE_DEFINITION.sortKey.name];
/** A rate-limit window's update (lambda/store/rate-windows.ts). */
const RATE_WINDOW_WRITE = ['entity', 'requests', 'expiresAt'];
/** An article's two comment-count items (lambda/store/comment-items.ts countUpdates). */
const COMMENT_COUNT_WRITE = ['entity', 'articleId', 'commentCount', 'updatedAt'];

/** A new comment's Put: the only public write that names the email and its hash. */
export const COMMENT_PUT_ATTRIBUTES: readonly string[] = unique([
  ...KEY_ATTRIBUTES,
  'entity',
  ...OWNER_ATTRIBUTES,
  'email',
  'emailHash',
  // Asked for reply notifications (docs/notifications.md).
  'notify',
  // Why the screen held it (docs/screening.md).
  'holdReasons',
  'screenScores',
]);

/**
 * The rest of a new comment's transaction: its rate-limit windows, the parent's ConditionCheck
 * (its status), the count items (only while the article is not `closed`) and the author item
 * (by the email's hash in its key, never an attribute).
 */
export const COMMENT_TRANSACTION_ATTRIBUTES: readonly string[] = unique([
  ...KEY_ATTRIBUTES,
  ...RATE_WINDOW_WRITE,
  'status',
  ...COMMENT_COUNT_WRITE,
  'closed',
  'lastPublishedAt',
]);

/** A vote's Put, Update or Delete, its counter shard's update and the rate-limit windows. */
export function reactionWriteAttributes(settings: Settings): string[] {
  return unique([
    ...KEY_ATTRIBUTES,
    ...RATE_WINDOW_WRITE,
    'articleId',
    'reaction',
    'updatedAt',
    'shard',
    'writes',
    ...settings.reactions.map((reaction) => reaction.key),
  ]);
}

/** An author's edit or delete of their comment (conditional on the edit token's hash) and the counts. */
export const OWN_COMMENT_WRITE_ATTRIBUTES: readonly string[] = unique([
  ...KEY_ATTRIBUTES,
  'body',
  'editedAt',
  'status',
  'editTokenHash',
  // An edit is screened again: the new text's reasons replace the old (docs/screening.md).
  'holdReasons',
  'screenScores',
  ...COMMENT_COUNT_WRITE,
]);

/** Confirming or unsubscribing an address (lambda/store/notification-repository.ts). */
export const SUBSCRIPTION_WRITE_ATTRIBUTES: readonly string[] = unique([
  ...KEY_ATTRIBUTES,
  'state',
  'confirmedAt',
  'unsubscribedAt',
]);

/** The mail dispatcher's mark on a subscriber that a confirmation goes out. */
export const CONFIRMATION_WRITE_ATTRIBUTES: readonly string[] = unique([
  ...KEY_ATTRIBUTES,
  'entity',
  'email',
  'state',
  'confirmationSentAt',
  'confirmationFor',
]);

/** The dispatcher's count of an address's reply notifications in an hour (NotifiedHour). */
export const REPLY_COUNT_WRITE_ATTRIBUTES: readonly string[] = unique([
  ...KEY_ATTRIBUTES,
  'entity',
  'expiresAt',
  'sent',
  'held',
]);

/** The mail sender's once-only markers, and the moderators' links' (the same item shape). */
export const MAIL_MARKER_WRITE_ATTRIBUTES: readonly string[] = unique([
  ...KEY_ATTRIBUTES,
  'entity',
  'expiresAt',
]);

/** A moderator's link acting: the comment's status, its counts, its approved author. */
export const MODERATION_LINK_UPDATE_ATTRIBUTES: readonly string[] = unique([
  ...KEY_ATTRIBUTES,
  'status',
  'moderatedAt',
  // A pinned comment marked as spam loses its pin, and its copy leaves the stats items.
  'pinned',
  'pins',
  ...COMMENT_COUNT_WRITE,
  'lastPublishedAt',
]);

/** The tally's conditional update of an article's count item. */
export const TALLY_WRITE_ATTRIBUTES: readonly string[] = unique([
  ...KEY_ATTRIBUTES,
  'entity',
  'articleId',
  'reactionTotal',
  'reactionCounts',
  'reactionWrites',
  'updatedAt',
]);

/**
 * An import's Puts (lambda/store/import-repository.ts): each comment as a new comment's Put, and
 * the marker of an article's imported reaction counts.
 */
export const IMPORT_PUT_ATTRIBUTES: readonly string[] = unique([
  ...COMMENT_PUT_ATTRIBUTES,
  // Marks an imported comment, which asks for no mail.
  'imported',
  'counts',
]);

/**
 * The rest of an import's transactions: a reply's parent's ConditionCheck (on its key), the
 * count items and author items as for a new comment, and for reaction counts the first counter
 * shard and the article's total.
 */
export function importUpdateAttributes(settings: Settings): string[] {
  return unique([
    ...KEY_ATTRIBUTES,
    ...COMMENT_COUNT_WRITE,
    'lastPublishedAt',
    'shard',
    'writes',
    'reactionTotal',
    'reactionWrites',
    ...settings.reactions.map((reaction) => reaction.key),
  ]);
}

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
  partitions?: readonly string[],
): Conditions {
  return {
    'ForAllValues:StringEquals': { 'dynamodb:Attributes': [...allowList] },
    ...(partitions
      ? { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...partitions] } }
      : {}),
    Null: { 'dynamodb:Attributes': 'false' },
    StringEqualsIfExists: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' },
  };
}

/** What public reads may fetch: the public attributes of every item type. */
export function publicReadConditions(
  settings: Settings,
  partitions: readonly string[],
): Conditions {
  return attributeReadConditions(publicAttributes(settings), partitions);
}

/**
 * What the reaction tally may read: the counter shards' keys, reaction counts and `writes`
 * count, which orders tallies. Never the email, its hash or the edit token's hash.
 */
export function tallyReadAttributes(settings: Settings): string[] {
  return [...KEY_ATTRIBUTES, 'writes', ...settings.reactions.map((reaction) => reaction.key)];
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
        define: props.define,
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
    const { article, reactions, vote, author, client } = PARTITIONS;
    switch (access) {
      case 'none':
        return;
      case 'comment-read':
        // One Query of the article's partition: a page of comments and its count item.
        this.allowOnTable(table, ['dynamodb:Query'], publicReadConditions(settings, [article]));
        return;
      case 'reaction-read':
        // The article's counter shards and the visitor's vote, batched.
        this.allowOnTable(
          table,
          ['dynamodb:BatchGetItem'],
          publicReadConditions(settings, [reactions, vote]),
        );
        return;
      case 'counts-read':
        // The count items of up to 100 articles, batched.
        this.allowOnTable(
          table,
          ['dynamodb:BatchGetItem'],
          publicReadConditions(settings, [article]),
        );
        return;
      case 'comment-write':
        // The TransactWriteItems of a new comment: Update the rate-limit windows, ConditionCheck
        // the parent, Put the comment, Update the counts and the author item. Writing a comment
        // needs no read; only the Put names the email.
        this.allowOnTable(
          table,
          ['dynamodb:PutItem'],
          attributeWriteConditions(COMMENT_PUT_ATTRIBUTES, [article]),
        );
        this.allowOnTable(
          table,
          ['dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'],
          attributeWriteConditions(COMMENT_TRANSACTION_ATTRIBUTES, [client, article, author]),
        );
        return;
      case 'reaction-write':
        // Reads the counters and the visitor's vote (public attributes only), then one
        // TransactWriteItems: Put/Update/Delete the vote, Update the counter shard and the
        // rate-limit windows.
        this.allowOnTable(
          table,
          ['dynamodb:BatchGetItem'],
          publicReadConditions(settings, [reactions, vote]),
        );
        this.allowOnTable(
          table,
          ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
          attributeWriteConditions(reactionWriteAttributes(settings), [client, vote, reactions]),
        );
        return;
      case 'own-comment':
        // A GetItem of the comment projected to the owner's attributes, then one
        // TransactWriteItems: Update or Delete the comment and Update the two count items.
        this.allowOnTable(
          table,
          ['dynamodb:GetItem'],
          attributeReadConditions(OWNER_READ_ATTRIBUTES, [article]),
        );
        this.allowOnTable(
          table,
          ['dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
          attributeWriteConditions(OWN_COMMENT_WRITE_ATTRIBUTES, [article]),
        );
        return;
      // Operators read whole comments, email included, so their grants carry no attribute
      // conditions; each gets only the index and the actions its route uses
      // (lambda/store/moderation-repository.ts). No Scan; only a staff reply ConditionChecks (its parent).
      case 'admin-list':
        // The queue by status (index byStatus) or one article's queue (a Query of its
        // partition), and which authors have published (a BatchGetItem of author items).
        this.allowOnIndex(table, 'byStatus');
        this.allowOnTable(table, ['dynamodb:Query', 'dynamodb:BatchGetItem']);
        return;
      case 'admin-counts':
        // Counts of the queue by status (index byStatus) or of one article's (its partition).
        this.allowOnIndex(table, 'byStatus');
        this.allowOnTable(table, ['dynamodb:Query']);
        return;
      case 'admin-erasure-count':
        // A count of the email's comments by its hash; nothing on the table itself.
        this.allowOnIndex(table, 'byEmailHash');
        return;
      case 'admin-article-read':
        // The article's stats item: its count, whether it is closed, its pins.
        this.allowOnTable(table, ['dynamodb:GetItem']);
        return;
      case 'admin-article-change':
        // One TransactWriteItems of Updates of the two stats items, then the GetItem above.
        this.allowOnTable(table, ['dynamodb:UpdateItem', 'dynamodb:GetItem']);
        return;
      case 'admin-pin':
        // The comment by id (index, then a consistent GetItem); Updates of the comment and of the
        // stats items' pinned copies, in one TransactWriteItems when pinning.
        this.allowOnIndex(table, 'byCommentId');
        this.allowOnTable(table, ['dynamodb:GetItem', 'dynamodb:UpdateItem']);
        return;
      case 'admin-reply':
        // A new comment's TransactWriteItems with no email and no rate limit: Put the comment,
        // ConditionCheck the parent, Update the counts. Nothing is read.
        this.allowOnTable(table, [
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:ConditionCheckItem',
        ]);
        return;
      case 'admin-moderate':
        // The comment by id (index, then a consistent GetItem); one TransactWriteItems of
        // Updates: its status, the counts, the author item.
        this.allowOnIndex(table, 'byCommentId');
        this.allowOnTable(table, ['dynamodb:GetItem', 'dynamodb:UpdateItem']);
        return;
      case 'admin-delete':
        // The comment by id; one TransactWriteItems: Delete it, Update the counts.
        this.allowOnIndex(table, 'byCommentId');
        this.allowOnTable(table, [
          'dynamodb:GetItem',
          'dynamodb:DeleteItem',
          'dynamodb:UpdateItem',
        ]);
        return;
      case 'admin-erase':
        // The email's comments by its hash; an Update of each (and of the stats items' copy of a
        // pinned one), a Delete of the author item.
        this.allowOnIndex(table, 'byEmailHash');
        this.allowOnTable(table, ['dynamodb:UpdateItem', 'dynamodb:DeleteItem']);
        return;
      case 'subscription':
        // Confirm and unsubscribe: one conditional UpdateItem of a subscriber item; no read.
        this.allowOnTable(
          table,
          ['dynamodb:UpdateItem'],
          attributeWriteConditions(SUBSCRIPTION_WRITE_ATTRIBUTES, [PARTITIONS.subscriber]),
        );
        return;
      case 'moderation-link-page':
        // The comment's public fields and the link's marker, each one GetItem; no write.
        this.allowOnTable(
          table,
          ['dynamodb:GetItem'],
          attributeReadConditions(LINK_PAGE_ATTRIBUTES, [article, PARTITIONS.link]),
        );
        return;
      case 'moderation-link':
        // The link's marker, and the comment with its email's hash (to record the approved
        // author; never the email), each one GetItem; then one TransactWriteItems: Put the link's
        // marker, Update the comment, its counts and its author item.
        this.allowOnTable(
          table,
          ['dynamodb:GetItem'],
          attributeReadConditions(LINK_ACTION_ATTRIBUTES, [article, PARTITIONS.link]),
        );
        this.allowOnTable(
          table,
          ['dynamodb:PutItem'],
          attributeWriteConditions(MAIL_MARKER_WRITE_ATTRIBUTES, [PARTITIONS.link]),
        );
        this.allowOnTable(
          table,
          ['dynamodb:UpdateItem'],
          attributeWriteConditions(MODERATION_LINK_UPDATE_ATTRIBUTES, [article, author]),
        );
        return;
      case 'import': {
        // One TransactWriteItems per run of a batch: Put each comment on a free key (the only
        // write that names the email), ConditionCheck a reply's parent, Update the count and
        // author items; for reaction counts a marker Put and Updates of shard 0 and the total.
        // Nothing is read.
        const { imported } = PARTITIONS;
        this.allowOnTable(
          table,
          ['dynamodb:PutItem'],
          attributeWriteConditions(IMPORT_PUT_ATTRIBUTES, [article, imported]),
        );
        this.allowOnTable(
          table,
          ['dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'],
          attributeWriteConditions(importUpdateAttributes(settings), [article, author, reactions]),
        );
        return;
      }
      default:
        unknownAccess(access);
    }
  }

  /**
   * The reaction tally's table access (not a route, so not a TableAccess of the route table):
   * one consistent BatchGetItem of an article's counter shards, projected to their `writes` and
   * reaction counts, and a conditional UpdateItem of each of the article's two stats items. Reading the
   * table's stream is granted by its event source (see ReactionTally).
   */
  grantReactionTally(table: ITableV2, settings: Settings): void {
    this.allowOnTable(
      table,
      ['dynamodb:BatchGetItem'],
      attributeReadConditions(tallyReadAttributes(settings), [PARTITIONS.reactions]),
    );
    this.allowOnTable(
      table,
      ['dynamodb:UpdateItem'],
      attributeWriteConditions(TALLY_WRITE_ATTRIBUTES, [PARTITIONS.article]),
    );
  }

  /** Allows a Query of one of the table's indexes (by name, never index/*). */
  private allowOnIndex(table: ITableV2, indexName: string): void {
    if (!TABLE_DEFINITION.globalIndexes.some((index) => index.indexName === indexName)) {
      throw new Error(`the table has no index ${indexName}`);
    }
    this.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [`${table.tableArn}/index/${indexName}`],
      }),
    );
  }

  /** Allows the actions on the table itself (not its indexes), under the given conditions. */
  private allowOnTable(table: ITableV2, actions: string[], conditions?: Conditions): void {
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
