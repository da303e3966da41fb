/**
 * The DynamoDB subsegments (lambda/store/tracing.ts) reach X-Ray through the daemon Lambda runs
 * beside a function with active tracing, which uploads them with the function's own role: every
 * function must trace actively and its role must be allowed to put trace segments.
 */
import { allFunctions, buildStack, functionLogicalId } from './synth';

type Resource = { Type: string; Properties: Record<string, unknown> };
interface Statement {
  Effect: string;
  Action: string | string[];
}

const { stack, template } = buildStack();
const resources = template.toJSON().Resources as Record<string, Resource>;

/** The actions every policy attached to the role allows. */
function allowedActions(roleId: string): string[] {
  return Object.values(resources)
    .filter(
      (resource) =>
        resource.Type === 'AWS::IAM::Policy' &&
        JSON.stringify(resource.Properties.Roles ?? []).includes(`"${roleId}"`),
    )
    .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
    .filter((statement) => statement.Effect === 'Allow')
    .flatMap((statement) => [statement.Action].flat());
}

describe('tracing', () => {
  it.each(Object.keys(allFunctions(stack)))(
    '%s traces actively, with a role that may put trace segments',
    (functionId) => {
      const fn = resources[functionLogicalId(stack, functionId)] as Resource;
      expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
      const roleId = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      expect(allowedActions(roleId)).toEqual(
        expect.arrayContaining(['xray:PutTraceSegments', 'xray:PutTelemetryRecords']),
      );
    },
  );
});
