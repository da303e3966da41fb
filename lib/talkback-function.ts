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
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { Settings } from '../lambda/domain/settings';
import type { TableAccess } from '../lambda/routes';
import { TABLE_DEFINITION } from '../lambda/store/table-definition';
import {
  HOUSE_RULES_SCREEN_GRANTS,
  TABLE_GRANTS,
  TALLY_GRANTS,
  type TableGrant,
} from './table-grants';

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
        // Errors only: esbuild's size summary of every function is noise in a deployer's synth.
        logLevel: LogLevel.ERROR,
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
    this.grantTable(table, TABLE_GRANTS[access], settings);
  }

  /** A screening function's read of the house rules (lib/table-grants.ts HOUSE_RULES_SCREEN_GRANTS). */
  grantHouseRulesRead(table: ITableV2, settings: Settings): void {
    this.grantTable(table, HOUSE_RULES_SCREEN_GRANTS, settings);
  }

  /** The reaction tally's table access (lib/table-grants.ts TALLY_GRANTS). */
  grantReactionTally(table: ITableV2, settings: Settings): void {
    this.grantTable(table, TALLY_GRANTS, settings);
  }

  /**
   * One statement a grant: a Query of an index (checked against the table's definition), or the
   * actions on the table itself (not its indexes) under the grant's conditions.
   */
  private grantTable(table: ITableV2, grants: readonly TableGrant[], settings: Settings): void {
    for (const grant of grants) {
      if ('index' in grant) {
        if (!TABLE_DEFINITION.globalIndexes.some((index) => index.indexName === grant.index)) {
          throw new Error(`the table has no index ${grant.index}`);
        }
        this.addToRolePolicy(
          new PolicyStatement({
            actions: ['dynamodb:Query'],
            resources: [`${table.tableArn}/index/${grant.index}`],
            ...(grant.conditions ? { conditions: grant.conditions(settings) } : {}),
          }),
        );
        continue;
      }
      this.addToRolePolicy(
        new PolicyStatement({
          actions: [...grant.actions],
          resources: [table.tableArn],
          ...(grant.conditions ? { conditions: grant.conditions(settings) } : {}),
        }),
      );
    }
  }
}
