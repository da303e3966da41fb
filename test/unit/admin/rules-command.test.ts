/**
 * `npm run admin -- rules [--get | --put FILE]`: the request it makes and what it prints
 * (bin/admin/commands.ts), with the API answered in memory.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { COMMANDS, type Context, UsageError } from '../../../bin/admin/commands';

const RULES = {
  hold: ['fool'],
  block: [],
  emailDomains: { disposable: 'allow', hold: [], block: [] },
  version: 3,
  updatedAt: '2026-12-08T01:00:00.000Z',
};

function context(args: string[]) {
  const calls: { method: string; path: string; body?: unknown }[] = [];
  const printed: string[] = [];
  const cx: Context = {
    args,
    target: args[1],
    dryRun: false,
    call: async () => ({ status: 200, body: RULES }),
    async answer<T>(_expected: number, method: string, path: string, body?: unknown) {
      calls.push({ method, path, ...(body === undefined ? {} : { body }) });
      return RULES as T;
    },
    needTarget: () => '',
    print: (text) => printed.push(text),
    note: () => {},
  };
  return { cx, calls, printed };
}

const run = (cx: Context) => (COMMANDS.rules as (cx: Context) => Promise<number>)(cx);

describe('admin rules', () => {
  it('prints the rules in force as JSON with --get or alone', async () => {
    for (const args of [['rules'], ['rules', '--get']]) {
      const { cx, calls, printed } = context(args);
      await expect(run(cx)).resolves.toBe(0);
      expect(calls).toEqual([{ method: 'GET', path: '/admin/house-rules' }]);
      expect(JSON.parse(printed.join('\n'))).toEqual(RULES);
    }
  });

  it('replaces them with a file’s JSON with --put', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'rules-')), 'rules.json');
    const { updatedAt: _, ...body } = RULES;
    writeFileSync(file, JSON.stringify(body));
    const { cx, calls } = context(['rules', '--put', file]);
    await expect(run(cx)).resolves.toBe(0);
    expect(calls).toEqual([{ method: 'PUT', path: '/admin/house-rules', body }]);
  });

  it('refuses a file that is not JSON, and an unknown option, before any request', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'rules-')), 'rules.json');
    writeFileSync(file, 'hold: fool');
    const bad = context(['rules', '--put', file]);
    await expect(run(bad.cx)).rejects.toBeInstanceOf(UsageError);
    const unknown = context(['rules', '--colour']);
    await expect(run(unknown.cx)).rejects.toThrow('rules does not take --colour');
    expect([...bad.calls, ...unknown.calls]).toEqual([]);
  });
});
