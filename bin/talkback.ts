import { App } from 'aws-cdk-lib';
import { TalkbackStack } from '../lib/talkback-stack';

const app = new App();
// Environment-agnostic: deploys to the account and region of the caller's credentials, and
// synthesizes offline without any.
new TalkbackStack(app, 'Talkback', {
  description: 'Talkback: serverless comments and reactions for article pages',
});
app.synth();
