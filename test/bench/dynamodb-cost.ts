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
import { setLogSink } from '../../lambda/http/log';
import { setMetricsSink } from '../../lambda/http/metrics';
import { createDocumentClient } from '../../lambda/store/client';
import { createApi } from '../support/api';
import { testSettings } from '../support/dynamodb';
import { apiCalls, seed } from './api-calls';
import { type MeteredCall, meterClient, runtimeOnClient } from './dynamodb-meter';
import { BENCH_SECRET } from './handler-env';
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
    TALKBACK_SETTINGS: testSettings(),
  };
  const client = createDocumentClient(env);
  try {
    await ensureTable(admin, env.TABLE_NAME);
    const meter = meterClient(client);
    const api = createApi(runtimeOnClient(env, client));
    log('seeding comments and an index page');
    await seed(api);

    const rows: BenchResult[] = [];
    for (const call of apiCalls(api)) {
      await call.prepare?.();
      meter.reset();
      const response = await call.run();
      if (response.status !== call.status) {
        throw new Error(`${call.name}: expected ${call.status}, got ${response.status}`);
      }
      const totals = meter.totals();
      rows.push(
        result({
          group: 'dynamodb',
          name: `${call.name}: requests`,
          value: totals.requests,
          unit: 'requests',
          floor: 1,
          target: call.kind === 'read' ? '<= 1 (a read)' : '<= 1 (a transaction is one)',
          met: totals.requests <= 1,
          note: totals.commands.join(' + ') || 'no DynamoDB call',
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
