import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { mockClient } from 'aws-sdk-client-mock';
import { HouseRulesRepository } from '../../lambda/store/house-rules-repository';
import type { TalkbackStack } from '../../lib/talkback-stack';
import { allows, requestsOf } from './iam-evaluator';
import {
  allFunctions,
  buildStack,
  functionLogicalId,
  logicalId,
  policyStatementsOf,
  roleOf,
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

describe('the house rules’ item', () => {
  const rulesKey = { PK: 'SCREEN#RULES', SK: 'CURRENT' };

  /** The requests the repository really makes: a screen's read, and a replacement. */
  async function repositoryRequests() {
    const ddb = mockClient(DynamoDBDocumentClient);
    ddb.on(GetCommand).resolves({});
    ddb.on(PutCommand).resolves({});
    const repository = new HouseRulesRepository(
      DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })),
      'talkback',
    );
    await repository.readRules(false);
    await repository.writeRules(
      { hold: ['a'], block: [], emailDomains: { disposable: 'allow', hold: [], block: [] } },
      2,
      'now',
    );
    const read = ddb.commandCalls(GetCommand)[0]?.args[0].input as Record<string, unknown>;
    const write = ddb.commandCalls(PutCommand)[0]?.args[0].input as Record<string, unknown>;
    ddb.restore();
    return { read, write };
  }

  it('may be read by the screening functions and the operators’ GET alone, and only its rules', async () => {
    const { stack, template } = buildStack();
    for (const id of SCREENING_FUNCTIONS) {
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: roleOf(template, functionLogicalId(stack, id)) }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            {
              Action: 'dynamodb:GetItem',
              Effect: 'Allow',
              Resource: Match.anyValue(),
              Condition: {
                'ForAllValues:StringEquals': {
                  'dynamodb:Attributes': [
                    'PK',
                    'SK',
                    'hold',
                    'block',
                    'emailHold',
                    'emailBlock',
                    'emailDisposable',
                    'version',
                    'updatedAt',
                  ],
                },
                'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SCREEN#RULES'] },
                Null: { 'dynamodb:Attributes': 'false' },
                StringEqualsIfExists: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' },
              },
            },
          ]),
        },
      });
    }
    const { read, write } = await repositoryRequests();
    const may = (command: string, input: Record<string, unknown>) =>
      Object.keys(allFunctions(stack))
        .filter((id) =>
          requestsOf(command, input).every((request) =>
            allows(policyStatementsOf(template, functionLogicalId(stack, id)), request),
          ),
        )
        .sort();
    // Operators' grants carry no attribute conditions (they read whole comments, email
    // included): of every other function, the screening ones alone may read the rules, and none
    // may replace them.
    const notOperators = (ids: string[]) => ids.filter((id) => !id.startsWith('Admin'));
    expect(notOperators(may('GetCommand', read))).toEqual(SCREENING_FUNCTIONS);
    expect(may('GetCommand', read)).toContain('AdminGetHouseRules');
    expect(notOperators(may('GetCommand', { TableName: 'talkback', Key: rulesKey }))).toEqual([]);
    expect(notOperators(may('PutCommand', write))).toEqual([]);
    expect(may('PutCommand', write)).toContain('AdminPutHouseRules');
  });
});
