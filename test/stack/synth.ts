/**
 * Builds the Talkback stack for stack tests. Bundling is skipped through CDK's own
 * `aws:cdk:bundling-stacks` context key (an empty list bundles no stack; `cdk synth
 * --exclusively` uses it the same way), so a test file synthesizes in well under a second
 * instead of running esbuild for every function. The bundles themselves are tested in
 * test/integration/bundles.test.ts.
 *
 * The routes' functions are in nested stacks (lib/area-stacks.ts); the template buildStack
 * gives is the whole app as one (appTemplate), so a test reads a function's role, policy and
 * alarms as it would in one stack.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, type CfnElement, NestedStack, Stack, type StackProps } from 'aws-cdk-lib';
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
  return { app, stack, template: appTemplate(stack) };
}

type Json = unknown;
interface CfnTemplate {
  Resources: Record<string, { Type: string; Properties?: Record<string, Json>; DependsOn?: Json }>;
  Outputs?: Record<string, { Value: Json }>;
  Parameters?: Record<string, Json>;
  Conditions?: Record<string, Json>;
  [section: string]: Json;
}

/** Replaces every object for which `swap` has a value, depth first. */
function substitute(value: Json, swap: (node: Record<string, Json>) => Json | undefined): Json {
  if (Array.isArray(value)) return value.map((item) => substitute(item, swap));
  if (value === null || typeof value !== 'object') return value;
  const node = value as Record<string, Json>;
  const swapped = swap(node);
  if (swapped !== undefined) return swapped;
  return Object.fromEntries(
    Object.entries(node).map(([key, item]) => [key, substitute(item, swap)]),
  );
}

/**
 * The stack and its nested stacks as one template, as if they were one stack: each nested
 * stack's resources join the parent's (its AWS::CloudFormation::Stack resource leaves), a
 * reference to one of its parameters becomes the value the parent passes it, and the parent's
 * `Fn::GetAtt` of one of its outputs becomes that output's value. So a policy's resource is the
 * table's `Fn::GetAtt` and an alarm's dimension the function's `Ref`, wherever each was built.
 * Fails on anything it cannot follow (a logical id in two stacks, a reference left dangling).
 */
export function appTemplate(stack: Stack): Template {
  return Template.fromJSON(flatten(stack));
}

function flatten(stack: Stack): CfnTemplate {
  const own = Template.fromStack(stack).toJSON() as CfnTemplate;
  const children = stack.node
    .findAll()
    .filter(NestedStack.isNestedStack)
    .filter((child) => child.nestedStackParent === stack)
    .map((child) => {
      const resource = child.nestedStackResource;
      if (!resource) throw new Error(`${child.node.path} has no stack resource`);
      return { id: stack.resolve(resource.logicalId) as string, template: flatten(child) };
    });
  const childIds = new Set(children.map((child) => child.id));
  let resources = Object.fromEntries(
    Object.entries(own.Resources).filter(([id]) => !childIds.has(id)),
  );
  let outputs = own.Outputs ?? {};
  let conditions = own.Conditions ?? {};
  // A child's parameter may be a sibling's output: resolve outputs until nothing changes.
  let passed = Object.fromEntries(
    children.map((child) => [child.id, own.Resources[child.id]?.Properties?.Parameters ?? {}]),
  ) as Record<string, Record<string, Json>>;
  const outputOf = (node: Record<string, Json>): Json | undefined => {
    const getAtt = node['Fn::GetAtt'];
    if (!Array.isArray(getAtt) || !childIds.has(getAtt[0] as string)) return undefined;
    const [childId, attribute] = getAtt as [string, string];
    const name = attribute.replace(/^Outputs\./, '');
    const child = children.find((candidate) => candidate.id === childId);
    const output = child?.template.Outputs?.[name];
    if (!child || !output) throw new Error(`no output ${attribute} of ${childId}`);
    return substitute(output.Value, parameterOf(passed[childId] ?? {}));
  };
  for (let round = 0; ; round += 1) {
    const before = JSON.stringify({ resources, outputs, passed });
    resources = substitute(resources, outputOf) as typeof resources;
    outputs = substitute(outputs, outputOf) as typeof outputs;
    passed = substitute(passed, outputOf) as typeof passed;
    if (JSON.stringify({ resources, outputs, passed }) === before) break;
    if (round > 10) throw new Error('nested stack outputs refer to each other in a loop');
  }
  for (const child of children) {
    const inlined = substitute(
      child.template.Resources,
      parameterOf(passed[child.id] ?? {}),
    ) as CfnTemplate['Resources'];
    for (const [id, resource] of Object.entries(inlined)) {
      if (resources[id]) throw new Error(`logical id ${id} is in two stacks`);
      resources[id] = resource;
    }
    conditions = { ...conditions, ...(child.template.Conditions ?? {}) };
  }
  // What depended on a nested stack now depends on nothing there: its resources are here.
  for (const resource of Object.values(resources)) {
    if (resource.DependsOn === undefined) continue;
    const kept = ([] as Json[])
      .concat(resource.DependsOn)
      .filter((id) => !childIds.has(id as string));
    if (kept.length > 0) resource.DependsOn = kept;
    else delete resource.DependsOn;
  }
  const flat: CfnTemplate = {
    ...own,
    Resources: resources,
    Outputs: outputs,
    Conditions: conditions,
  };
  if (Object.keys(conditions).length === 0) delete flat.Conditions;
  assertResolved(flat);
  return flat;
}

/** A reference to a nested stack's parameter, replaced by what the parent passes it. */
function parameterOf(
  passed: Record<string, Json>,
): (node: Record<string, Json>) => Json | undefined {
  return (node) => {
    const ref = node.Ref;
    return typeof ref === 'string' && ref in passed ? passed[ref] : undefined;
  };
}

/** Every Ref and GetAtt names a resource, a parameter of the app or a pseudo parameter. */
function assertResolved(template: CfnTemplate): void {
  const known = new Set([
    ...Object.keys(template.Resources),
    ...Object.keys(template.Parameters ?? {}),
  ]);
  substitute(template.Resources, (node) => {
    const ref = node.Ref;
    const getAtt = node['Fn::GetAtt'];
    const target = typeof ref === 'string' ? ref : Array.isArray(getAtt) ? getAtt[0] : undefined;
    if (typeof target === 'string' && !target.startsWith('AWS::') && !known.has(target)) {
      throw new Error(`the app template refers to ${target}, which it does not hold`);
    }
    return undefined;
  });
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

/** An element's logical id in its own stack (a nested stack's, for a route's function). */
export function logicalId(_stack: Stack, element: CfnElement): string {
  return Stack.of(element).resolve(element.logicalId) as string;
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
