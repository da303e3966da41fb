/**
 * What `cdk synth` loads: the CDK app's own import graph must stay free of the AWS SDK (a store
 * module pulled it in through lib/talkback-function.ts, about 500 SDK files parsed by every synth).
 * Measured with esbuild's metafile, which lists every module the entry reaches.
 */
import { join } from 'node:path';
import { build } from 'esbuild';

const ROOT = join(__dirname, '..', '..');

async function modulesReachedFrom(entry: string): Promise<string[]> {
  const result = await build({
    entryPoints: [join(ROOT, entry)],
    absWorkingDir: ROOT,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    write: false,
    metafile: true,
    logLevel: 'silent',
    // The CDK itself is what synth is for; only Talkback's own graph is in question.
    external: ['aws-cdk-lib', 'aws-cdk-lib/*', 'constructs', 'cdk-nag'],
  });
  return Object.keys(result.metafile.inputs);
}

describe('the CDK app', () => {
  it('imports no AWS SDK module', async () => {
    const modules = await modulesReachedFrom('bin/talkback.ts');
    expect(modules).toContain('lib/talkback-stack.ts');
    expect(modules.filter((file) => /@aws-sdk|@smithy/.test(file))).toEqual([]);
  });
});
