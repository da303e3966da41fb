/**
 * Which stack bin/talkback.ts builds, and where: its name from the `stage` context key, its
 * account and region from the `account` and `region` keys, else from the CDK CLI's
 * CDK_DEFAULT_ACCOUNT and CDK_DEFAULT_REGION (the caller's credentials and profile). Without
 * either the stack stays environment-agnostic, which synthesizes offline.
 */
import type { Environment, StackProps } from 'aws-cdk-lib';
import type { Node } from 'constructs';
import { fail, text } from './settings-from-context';

/** The stack's name with no stage, as every deployment so far has it. */
export const STACK_NAME = 'Talkback';

const STAGE = /^[A-Za-z][A-Za-z0-9-]{0,31}$/;
const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

export interface Deployment {
  /** `Talkback`, or `Talkback-<stage>`: alarm names and the dashboard follow it. */
  stackName: string;
  props: StackProps;
}

export function deploymentOf(
  node: Node,
  env: Record<string, string | undefined> = process.env,
): Deployment {
  const stage = text(node, 'stage');
  if (stage !== undefined && !STAGE.test(stage)) {
    fail(
      'stage',
      `must be a letter then up to 31 letters, digits or dashes (such as staging), got ${stage}`,
    );
  }
  const account = text(node, 'account') ?? env.CDK_DEFAULT_ACCOUNT;
  const region = text(node, 'region') ?? env.CDK_DEFAULT_REGION;
  if (account !== undefined && !ACCOUNT.test(account)) {
    fail('account', `must be a 12-digit AWS account id, got ${account}`);
  }
  if (region !== undefined && !REGION.test(region)) {
    fail('region', `must be an AWS region such as eu-west-1, got ${region}`);
  }
  const environment: Environment = {
    ...(account ? { account } : {}),
    ...(region ? { region } : {}),
  };
  return {
    stackName: stage ? `${STACK_NAME}-${stage}` : STACK_NAME,
    props: {
      description: `Talkback${stage ? ` (${stage})` : ''}: serverless comments and reactions for article pages`,
      ...(account || region ? { env: environment } : {}),
    },
  };
}
