import { App } from 'aws-cdk-lib';
import { ContextError } from '../lib/settings-from-context';
import { TalkbackStack } from '../lib/talkback-stack';

const app = new App();
try {
  // Environment-agnostic: deploys to the account and region of the caller's credentials, and
  // synthesizes offline without any.
  new TalkbackStack(app, 'Talkback', {
    description: 'Talkback: serverless comments and reactions for article pages',
  });
} catch (error) {
  // A bad context value is the user's to fix: one line naming the key, not a stack trace.
  if (!(error instanceof ContextError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
app.synth();
