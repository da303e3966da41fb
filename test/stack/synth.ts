/**
 * Builds the Talkback stack for stack tests. Bundling is skipped through CDK's own
 * `aws:cdk:bundling-stacks` context key (an empty list bundles no stack; `cdk synth
 * --exclusively` uses it the same way), so a test file synthesizes in well under a second
 * instead of running esbuild for every function. The bundles themselves are tested in
 * test/integration/bundles.test.ts.
 */
import { App, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { BUNDLING_STACKS } from 'aws-cdk-lib/cx-api';
import { TalkbackStack } from '../../lib/talkback-stack';

export function buildStack(context: Record<string, unknown> = {}): {
  app: App;
  stack: TalkbackStack;
  template: Template;
} {
  const app = new App({ context: { [BUNDLING_STACKS]: [], ...context } });
  const stack = new TalkbackStack(app, 'Talkback');
  return { app, stack, template: Template.fromStack(stack) };
}

/** The logical id of a route's function, e.g. 'ListComments' or 'Fallback'. */
export function functionLogicalId(stack: TalkbackStack, routeId: string): string {
  const fn = stack.api.functions[routeId];
  if (!fn) throw new Error(`no function for route ${routeId}`);
  return logicalId(stack, fn.node.defaultChild as CfnFunction);
}

export function logicalId(stack: Stack, element: CfnFunction): string {
  return stack.resolve(element.logicalId) as string;
}
