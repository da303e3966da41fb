/**
 * Runs requests through the real handlers in a plain Node process, as Lambda does, and prints
 * what a client and the logs would see as one JSON line. For faults that Jest's sandbox changes:
 * Node's own socket errors come from outside the sandbox's realm, fail the SDK's
 * `instanceof Error` and reach the store as a wrapper without their `code`.
 *
 *   TALKBACK_API_REQUESTS  JSON array of [method, path, request]
 *   plus the function's environment (TABLE_NAME, TALKBACK_SECRET, DYNAMODB_ENDPOINT, ...)
 */
import { setLogSink } from '../../lambda/http/log';
import { setMetricsSink } from '../../lambda/http/metrics';
import { loadRuntime } from '../../lambda/runtime';
import { type ApiRequest, type ApiResponse, createApi } from './api';

export interface ApiProcessOutput {
  responses: ApiResponse[];
  logLines: string[];
  metricLines: string[];
}

async function main(): Promise<void> {
  const logLines: string[] = [];
  const metricLines: string[] = [];
  setLogSink((line) => logLines.push(line));
  setMetricsSink((line) => metricLines.push(line));
  const api = createApi(loadRuntime(process.env));
  const requests = JSON.parse(process.env.TALKBACK_API_REQUESTS ?? '[]') as [
    string,
    string,
    ApiRequest,
  ][];
  const responses: ApiResponse[] = [];
  for (const [method, path, request] of requests) responses.push(await api(method, path, request));
  const output: ApiProcessOutput = { responses, logLines, metricLines };
  process.stdout.write(`${JSON.stringify(output)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
