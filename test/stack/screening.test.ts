import { Match, type Template } from 'aws-cdk-lib/assertions';
import type { TalkbackStack } from '../../lib/talkback-stack';
import {
  allFunctions,
  buildStack,
  functionLogicalId,
  logicalId,
  policyStatementsOf,
} from './synth';

const SCREENING_FUNCTIONS = ['CreateComment', 'EditComment'];

function environmentOf(template: Template, id: string): Record<string, unknown> {
  const fn = template.toJSON().Resources[id] as { Properties: Record<string, unknown> };
  return (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
}

/** The functions whose role may call Bedrock at all. */
function bedrockCallers(stack: TalkbackStack, template: Template): string[] {
  return Object.keys(allFunctions(stack)).filter((id) =>
    policyStatementsOf(template, functionLogicalId(stack, id)).some((statement) =>
      [statement.Action].flat().some((action) => String(action).startsWith('bedrock:')),
    ),
  );
}

describe('the stack with screening by house rules (the default)', () => {
  it('creates no guardrail and lets no function call Bedrock', () => {
    const { stack, template } = buildStack();
    template.resourceCountIs('AWS::Bedrock::Guardrail', 0);
    template.resourceCountIs('AWS::Bedrock::GuardrailVersion', 0);
    expect(bedrockCallers(stack, template)).toEqual([]);
    expect(environmentOf(template, functionLogicalId(stack, 'CreateComment'))).not.toHaveProperty(
      'TALKBACK_GUARDRAIL_ID',
    );
  });
});

describe('the stack with screening by Guardrails', () => {
  const built = () =>
    buildStack({ screening: 'guardrails', guardrailFilters: '{"insults":"HIGH","sexual":"LOW"}' });

  it('creates the guardrail with the content filters at the strengths from context', () => {
    const { template } = built();
    template.resourceCountIs('AWS::Bedrock::Guardrail', 1);
    template.hasResourceProperties('AWS::Bedrock::Guardrail', {
      ContentPolicyConfig: {
        FiltersConfig: [
          { Type: 'HATE', InputStrength: 'MEDIUM', OutputStrength: 'NONE' },
          { Type: 'INSULTS', InputStrength: 'HIGH', OutputStrength: 'NONE' },
          { Type: 'SEXUAL', InputStrength: 'LOW', OutputStrength: 'NONE' },
          { Type: 'VIOLENCE', InputStrength: 'MEDIUM', OutputStrength: 'NONE' },
          { Type: 'MISCONDUCT', InputStrength: 'MEDIUM', OutputStrength: 'NONE' },
        ],
        ContentFiltersTierConfig: { TierName: 'CLASSIC' },
      },
      CrossRegionConfig: Match.absent(),
    });
    template.resourceCountIs('AWS::Bedrock::GuardrailVersion', 1);
  });

  it('gives the create and edit functions alone the guardrail and ApplyGuardrail on it', () => {
    const { stack, template } = built();
    const guardrail = stack.node
      .findAll()
      .find((c) => c.node.id === 'Guardrail' && 'attrGuardrailArn' in c);
    if (!guardrail) throw new Error('no guardrail');
    const guardrailId = logicalId(stack, guardrail as never);
    expect(bedrockCallers(stack, template).sort()).toEqual(SCREENING_FUNCTIONS);
    for (const id of SCREENING_FUNCTIONS) {
      const logical = functionLogicalId(stack, id);
      expect(policyStatementsOf(template, logical)).toContainEqual({
        Action: 'bedrock:ApplyGuardrail',
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [guardrailId, 'GuardrailArn'] },
      });
      expect(environmentOf(template, logical)).toMatchObject({
        TALKBACK_GUARDRAIL_ID: { 'Fn::GetAtt': [guardrailId, 'GuardrailId'] },
        TALKBACK_GUARDRAIL_VERSION: { 'Fn::GetAtt': [expect.any(String), 'Version'] },
      });
    }
    expect(environmentOf(template, functionLogicalId(stack, 'ListComments'))).not.toHaveProperty(
      'TALKBACK_GUARDRAIL_ID',
    );
  });

  it('runs the filters on the Standard tier through a cross-Region profile when one is named', () => {
    const { template } = buildStack({
      screening: 'guardrails',
      guardrailProfile: 'eu.guardrail.v1:0',
    });
    template.hasResourceProperties('AWS::Bedrock::Guardrail', {
      ContentPolicyConfig: Match.objectLike({ ContentFiltersTierConfig: { TierName: 'STANDARD' } }),
      CrossRegionConfig: {
        GuardrailProfileArn: {
          'Fn::Join': ['', Match.arrayWith([':guardrail-profile/eu.guardrail.v1:0'])],
        },
      },
    });
  });

  it.each([
    [
      { guardrailFilters: '{"slurs":"HIGH"}' },
      'Talkback context "guardrailFilters": unknown filter slurs',
    ],
    [
      { guardrailFilters: '{"hate":"MAX"}' },
      'Talkback context "guardrailFilters": hate must be one of',
    ],
    [
      { guardrailProfile: 'eu-west-1' },
      'Talkback context "guardrailProfile": must name a guardrail profile',
    ],
  ])('fails the synth on %j, naming the key', (context, message) => {
    expect(() => buildStack({ screening: 'guardrails', ...context })).toThrow(message);
  });
});
