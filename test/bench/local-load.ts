/**
 * Local end-to-end load: `npm start`'s server (the real handlers on DynamoDB Local, started as a
 * developer would, with test settings) under autocannon, on loopback only and for a fixed time.
 * Everything shares the machine's cores: the load generator, the server and DynamoDB Local's
 * JVM, so these figures describe this laptop-sized setup, not AWS.
 */
import autocannon from 'autocannon';
import { type LocalProcess, startLocalProcess } from '../support/local-process';
import { newComment, newVisitor } from './api-calls';
import { type BenchResult, result } from './results';

const DURATION_SECONDS = 5;
const WARMUP_SECONDS = 1;
const CONNECTIONS = [10, 50];
const REACTIONS = ['excited', 'happy', 'in-love', 'not-sure', 'silly'];
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

const LIST_ARTICLE = 'load-list';
const REACTION_ARTICLE = 'load-reactions';
const COMMENT_ARTICLE = 'load-comments';

interface Scenario {
  name: string;
  request: autocannon.Request;
}

const JSON_HEADERS = { 'content-type': 'application/json' };

let posted = 0;
let reacted = 0;

const SCENARIOS: Scenario[] = [
  {
    name: 'list 50 comments',
    request: { method: 'GET', path: `/articles/${LIST_ARTICLE}/comments?limit=50` },
  },
  {
    name: 'reaction write, distinct visitors',
    request: {
      method: 'PUT',
      path: `/articles/${REACTION_ARTICLE}/reactions`,
      headers: JSON_HEADERS,
      setupRequest: (request) => {
        reacted += 1;
        const reaction = REACTIONS[reacted % REACTIONS.length];
        return { ...request, body: JSON.stringify({ visitorId: newVisitor(), reaction }) };
      },
    },
  },
  {
    name: 'comment post',
    request: {
      method: 'POST',
      path: `/articles/${COMMENT_ARTICLE}/comments`,
      headers: JSON_HEADERS,
      setupRequest: (request) => {
        posted += 1;
        return { ...request, body: JSON.stringify(newComment(posted)) };
      },
    },
  },
];

function cannon(url: string, connections: number, seconds: number, request: autocannon.Request) {
  return autocannon({
    url,
    connections,
    duration: seconds,
    timeout: 10,
    requests: [request],
  });
}

async function seedList(server: LocalProcess): Promise<void> {
  for (let index = 0; index < 60; index++) {
    const response = await fetch(`${server.url}/articles/${LIST_ARTICLE}/comments`, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify(newComment(index)),
    });
    if (response.status !== 201) {
      throw new Error(`seeding the list: ${response.status} ${await response.text()}`);
    }
  }
}

export async function localLoad(log: (line: string) => void): Promise<BenchResult[]> {
  log('starting the local server (npm start, in memory)');
  const server = await startLocalProcess();
  try {
    const { hostname } = new URL(server.url);
    if (!LOOPBACK.has(hostname)) throw new Error(`refusing to load ${server.url}: not loopback`);
    await seedList(server);
    const rows: BenchResult[] = [];
    for (const scenario of SCENARIOS) {
      await cannon(server.url, CONNECTIONS[0] ?? 10, WARMUP_SECONDS, scenario.request);
      for (const connections of CONNECTIONS) {
        log(`${scenario.name}, ${connections} connections, ${DURATION_SECONDS} s`);
        const outcome = await cannon(server.url, connections, DURATION_SECONDS, scenario.request);
        const total = outcome['1xx'] + outcome['2xx'] + outcome['3xx'] + outcome.non2xx;
        const perSecond = total / outcome.duration;
        const failures =
          outcome.non2xx + outcome.errors > 0
            ? `, ${outcome.non2xx} non-2xx (${outcome['4xx']} 4xx, ${outcome['5xx']} 5xx), ${outcome.errors} errors`
            : '';
        const detail = {
          connections,
          durationSeconds: outcome.duration,
          responses: total,
          ok: outcome['2xx'],
          non2xx: outcome.non2xx,
          status4xx: outcome['4xx'],
          status5xx: outcome['5xx'],
          errors: outcome.errors,
          timeouts: outcome.timeouts,
          requestsPerSecondStddev: outcome.requests.stddev,
          latencyMs: {
            p50: outcome.latency.p50,
            p99: outcome.latency.p99,
            max: outcome.latency.max,
          },
        };
        const name = `${scenario.name} @${connections}`;
        rows.push(
          result({
            group: 'load',
            name: `${name}: throughput`,
            value: perSecond,
            unit: 'req/s',
            noisy: true,
            note: `${total.toLocaleString('en-US')} responses${failures}`,
            detail,
          }),
          result({
            group: 'load',
            name: `${name}: p50`,
            value: outcome.latency.p50,
            unit: 'ms',
            noisy: true,
          }),
          result({
            group: 'load',
            name: `${name}: p99`,
            value: outcome.latency.p99,
            unit: 'ms',
            noisy: true,
          }),
        );
      }
    }
    return rows;
  } finally {
    await server.stop();
  }
}
