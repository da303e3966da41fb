/**
 * The CLI loads the AWS SDK's credential chain and the Cognito client only when a command needs
 * them: a local import or export is a long-running process, and those modules are ~20 MB of its
 * memory (docs/import-export.md, Measured). Checked in a fresh Node process, as an operator runs it.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '..', '..', '..');

/** The packages under node_modules/@aws-sdk/ that loading `modules` brought in. */
async function awsSdkPackagesLoadedBy(modules: string[]): Promise<string[]> {
  const script = `
    for (const m of ${JSON.stringify(modules)}) require(m);
    const names = new Set();
    for (const file of Object.keys(require.cache)) {
      const match = /node_modules\\/@aws-sdk\\/([^/]+)\\//.exec(file);
      if (match) names.add(match[1]);
    }
    process.stdout.write(JSON.stringify([...names].sort()));
  `;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', '-e', script],
    { cwd: ROOT },
  );
  return JSON.parse(stdout) as string[];
}

describe('what the admin CLI loads', () => {
  it('loads no AWS SDK package for the local server (moderation, import, export)', async () => {
    const loaded = await awsSdkPackagesLoadedBy([
      './bin/talkback-admin.ts',
      './bin/admin/transfer.ts',
      './bin/admin/client.ts',
    ]);
    expect(loaded).toEqual([]);
  }, 60_000);
});
