/**
 * DynamoDB cost per API call, against DynamoDB Local: the real handlers on a runtime whose
 * document client asks every command for its consumed capacity. Reports the requests each call
 * makes (the floor is one) and the capacity units: as DynamoDB Local reports them, and by AWS's
 * rules where Local under-reports (transactions; see dynamodb-meter.ts).
 *
 * Import it inside withHandlerEnv: the API it drives imports every handler module.
 */
import { ensureTable } from '../../bin/local/bootstrap';
import { createLowLevelClient } from '../../bin/local/clients';
import { startDynamoDbLocal } from '../../bin/local/dynamodb-local';
import { confirmToken, moderationToken, unsubscribeToken } from '../../lambda/domain/notifications';
import { setLogSink } from '../../lambda/http/log';
import { setMetricsSink } from '../../lambda/http/metrics';
import { createDocumentClient } from '../../lambda/store/client';
import { createApiOnTable } from '../support/api';
import { testSettings } from '../support/dynamodb';
import { apiCalls, type LinkTokens, moreApiCalls, seed } from './api-calls';
import { type MeteredCall, meterClient, runtimeOnClient } from './dynamodb-meter';
import { BENCH_LINK_SECRET, BENCH_SECRET } from './handler-env';
import { requestRule } from './request-rule';
import { type BenchResult, result } from './results';

const units = (value: number) => value.toFixed(1);

/** What each transaction held, e.g. "TransactWriteItems of Update x4, Put". */
function transactions(calls: readonly MeteredCall[]): string {
  return calls
    .filter((call) => call.actions)
    .map((call) => {
      const counts = new Map<string, number>();
      for (const action of call.actions ?? []) counts.set(action, (counts.get(action) ?? 0) + 1);
      const parts = [...counts].map(([action, count]) =>
        count > 1 ? `${action} x${count}` : action,
      );
      return `transaction of ${parts.join(', ')}`;
    })
    .join('; ');
}

export async function dynamodbCost(log: (line: string) => void): Promise<BenchResult[]> {
  setLogSink(() => {});
  setMetricsSink(() => {});
  log('starting DynamoDB Local');
  const local = await startDynamoDbLocal();
  const admin = createLowLevelClient(local.endpoint);
  const env = {
    DYNAMODB_ENDPOINT: local.endpoint,
    TABLE_NAME: 'talkback-bench',
    TALKBACK_SECRET: BENCH_SECRET,
    TALKBACK_LINK_SECRET: BENCH_LINK_SECRET,
    TALKBACK_SETTINGS: testSettings(),
  };
  const client = createDocumentClient(env);
  try {
    await ensureTable(admin, env.TABLE_NAME);
    const meter = meterClient(client);
    const runtime = runtimeOnClient(env, client);
    const { hasher, clock } = runtime;
    const { api, subscriptions: store } = createApiOnTable(runtime, {
      documentClient: client,
      tableName: env.TABLE_NAME,
    });
    log('seeding comments and an index page');
    await seed(api);

    // Subscribers as the mail dispatcher records them (pending), one new one for each link.
    let subscribers = 0;
    const pendingSubscriber = async () => {
      subscribers += 1;
      const email = `subscriber${subscribers}@example.com`;
      const emailHash = runtime.hasher.hash('email', email);
      const now = runtime.clock();
      const day = 86_400_000;
      const iso = (ms: number) => new Date(ms).toISOString();
      await store.markConfirmationSent({ emailHash, email }, 'bench', iso(now), iso(now - day));
      return emailHash;
    };
    const links: LinkTokens = {
      confirm: async () => confirmToken(runtime.hasher, await pendingSubscriber(), runtime.clock()),
      unsubscribe: async () => {
        const emailHash = await pendingSubscriber();
        const now = new Date(runtime.clock()).toISOString();
        await store.confirm(emailHash, now, now);
        return unsubscribeToken(runtime.hasher, emailHash);
      },
      approve: (comment) => moderationToken(hasher, comment, 'published', clock()),
    };

    const rows: BenchResult[] = [];
    for (const call of [
      ...apiCalls(api, runtime.areas.signals),
      ...moreApiCalls(api, links, runtime.newId),
    ]) {
      await call.prepare?.();
      meter.reset();
      const response = await call.run();
      if (response.status !== call.status) {
        throw new Error(`${call.name}: expected ${call.status}, got ${response.status}`);
      }
      const totals = meter.totals();
      const rule = requestRule(call.kind, totals.commands, totals.requests);
      const commands = totals.commands.join(' + ') || 'no DynamoDB call';
      rows.push(
        result({
          group: 'dynamodb',
          name: `${call.name}: requests`,
          value: totals.requests,
          unit: 'requests',
          floor: 1,
          target: rule.target,
          met: rule.met,
          note: rule.why ? `${commands}; ${rule.why}` : commands,
          detail: { calls: meter.calls.map((item) => ({ ...item })) },
        }),
        result({
          group: 'dynamodb',
          name: `${call.name}: capacity (Local)`,
          value: totals.units,
          unit: 'CU',
          note: transactions(meter.calls),
        }),
        result({
          group: 'dynamodb',
          name: `${call.name}: capacity (AWS rules)`,
          value: totals.estimate.readUnits + totals.estimate.writeUnits,
          unit: 'CU',
          note: `${units(totals.estimate.readUnits)} RCU + ${units(totals.estimate.writeUnits)} WCU`,
          detail: totals.estimate,
        }),
      );
    }
    return rows;
  } finally {
    client.destroy();
    admin.destroy();
    await local.stop();
  }
}
