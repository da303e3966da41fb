import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { captureDynamoDBCalls } from './tracing';

export interface SdkLimits {
  /** Per attempt: time to open the connection. */
  connectionTimeoutMs: number;
  /** Per attempt: time from sending the request to the end of the response, connection included. */
  requestTimeoutMs: number;
  /** Tries in all, retries included. */
  maxAttempts: number;
}

/**
 * How long one DynamoDB call may take on AWS, and how often it is tried. The budget, from the
 * inside out:
 *
 * - an attempt gets 1 s to connect and 3 s in all; DynamoDB answers in milliseconds, so an
 *   attempt still waiting after 3 s is not going to be answered;
 * - three attempts: 3 x 3 s plus the SDK's backoff between them (under 0.2 s after timeouts;
 *   throttled answers come back at once and wait up to 1 s, then 2 s), so a call that can never
 *   succeed fails after about 9.2 s at worst, as a TimeoutError that the store turns into 503;
 * - the functions' timeout is 10 s (lib/talkback-function.ts), so that 503, with Retry-After, is
 *   the function's own answer rather than Lambda cutting it off;
 * - API Gateway waits up to 30 s for the function, so the gateway never times out first.
 *
 * A request that makes a second call after a first one that was slow but succeeded can still
 * run into the function's timeout; API Gateway then answers 500, and nothing is half-written,
 * since every multi-item write is one transaction.
 */
export const SDK_LIMITS: SdkLimits = {
  connectionTimeoutMs: 1_000,
  requestTimeoutMs: 3_000,
  maxAttempts: 3,
};

/**
 * DynamoDB Local (the local server, the tests) is one JVM that serves hundreds of concurrent
 * requests from one process, and then takes seconds per transaction: the same bounded retries,
 * with time for its queue.
 */
export const LOCAL_SDK_LIMITS: SdkLimits = {
  connectionTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  maxAttempts: 3,
};

/** The limits for where the client connects: AWS, or DynamoDB Local at DYNAMODB_ENDPOINT. */
export function sdkLimitsFor(env: NodeJS.ProcessEnv): SdkLimits {
  return env.DYNAMODB_ENDPOINT ? LOCAL_SDK_LIMITS : SDK_LIMITS;
}

/**
 * Builds the document client. On Lambda the region and credentials come from the runtime; the
 * local server and tests set DYNAMODB_ENDPOINT to reach DynamoDB Local. Every call is an X-Ray
 * subsegment when the invocation is sampled (lambda/store/tracing.ts); elsewhere nothing is sent.
 */
export function createDocumentClient(
  env: NodeJS.ProcessEnv = process.env,
  limits: SdkLimits = sdkLimitsFor(env),
): DynamoDBDocumentClient {
  const endpoint = env.DYNAMODB_ENDPOINT;
  const client = new DynamoDBClient({
    ...(endpoint
      ? {
          endpoint,
          region: env.AWS_REGION ?? 'local',
          credentials: {
            accessKeyId: env.AWS_ACCESS_KEY_ID ?? 'local',
            secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? 'local',
          },
        }
      : {}),
    // The options of the SDK's NodeHttpHandler. Without throwOnRequestTimeout, a passed
    // requestTimeout is only logged as a warning and the call keeps waiting.
    requestHandler: {
      connectionTimeout: limits.connectionTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      throwOnRequestTimeout: true,
    },
    maxAttempts: limits.maxAttempts,
  });
  captureDynamoDBCalls(client);
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
}
