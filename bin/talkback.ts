import { App } from 'aws-cdk-lib';
import { deploymentOf } from '../lib/deployment';
import { ContextError } from '../lib/settings-from-context';
import { TalkbackStack } from '../lib/talkback-stack';

const app = new App();
try {
  // The stack's name from `stage`, its account and region from context or the CDK CLI's
  // defaults (lib/deployment.ts); every other key is checked before anything is built.
  const { stackName, props } = deploymentOf(app.node);
  new TalkbackStack(app, stackName, props);
} catch (error) {
  // A bad context value is the user's to fix: one line naming the key, not a stack trace.
  if (!(error instanceof ContextError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
app.synth();
