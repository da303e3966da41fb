/**
 * Builds the Talkback stack for stack tests. Bundling is skipped through CDK's own
 * `aws:cdk:bundling-stacks` context key (an empty list bundles no stack; `cdk synth
 * --exclusively` uses it the same way), so a test file synthesizes in well under a second
 * instead of running esbuild for every function. The bundles themselves are tested in
 * test/integration/bundles.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, type CfnElement, type Stack, type StackProps } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { BUNDLING_STACKS } from 'aws-cdk-lib/cx-api';
import type { TalkbackFunction } from '../../lib/talkback-function';
import { TalkbackStack } from '../../lib/talkback-stack';
import type { PolicyStatement } from './iam-evaluator';

/**
 * cdk.json's context (its feature flags). buildStack does not apply it: with
 * `@aws-cdk/aws-iam:minimizePolicies` a role's statements are merged, which the IAM tests read
 * one by one. Tests of the deployed template's shape pass it in.
 */
export const CDK_JSON_CONTEXT: Record<string, unknown> = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'cdk.json'), 'utf8'),
).context;

export function buildStack(
  context: Record<string, unknown> = {},
  props: StackProps = {},
): {
  app: App;
  stack: TalkbackStack;
  template: Template;
} {
  const app = new App({ context: { [BUNDLING_STACKS]: [], ...context } });
  const stack = new TalkbackStack(app, props.stackName ?? 'Talkback', props);
  return { app, stack, template: Template.fromStack(stack) };
}

/** The id of the reaction tally's function, which serves no route. */
export const TALLY_FUNCTION_ID = 'TallyReactions';

/** Every function of the stack: the routes', the fallback, the tally and the mail's, by id. */
export function allFunctions(stack: TalkbackStack): Record<string, TalkbackFunction> {
  return {
    ...stack.api.functions,
    [TALLY_FUNCTION_ID]: stack.reactionTally.function,
    ...(stack.mail ? { MailDispatch: stack.mail.dispatcher, MailSend: stack.mail.sender } : {}),
  };
}

/** The logical id of a function, e.g. 'ListComments', 'Fallback' or 'TallyReactions'. */
export function functionLogicalId(stack: TalkbackStack, functionId: string): string {
  const fn = allFunctions(stack)[functionId];
  if (!fn) throw new Error(`no function ${functionId}`);
  return logicalId(stack, fn.node.defaultChild as CfnFunction);
}

export function logicalId(stack: Stack, element: CfnElement): string {
  return stack.resolve(element.logicalId) as string;
}

/** The logical id of the role a function runs as. */
export function roleOf(template: Template, functionId: string): string {
  const resources = template.toJSON().Resources as Record<
    string,
    { Properties: { Role?: unknown } }
  >;
  const role = resources[functionId]?.Properties.Role as
    | { 'Fn::GetAtt': [string, string] }
    | undefined;
  if (!role) throw new Error(`no function ${functionId}`);
  return role['Fn::GetAtt'][0];
}

/** The statements of the policies attached to a function's role (Talkback uses no inline or managed ones). */
export function policyStatementsOf(template: Template, functionId: string): PolicyStatement[] {
  const roleId = roleOf(template, functionId);
  return Object.values(
    template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } }),
  ).flatMap(
    (policy) =>
      (policy as { Properties: { PolicyDocument: { Statement: PolicyStatement[] } } }).Properties
        .PolicyDocument.Statement,
  );
}
