/** The import route's function: writes limited to an import's attributes and partitions, no reads. */
import type { Template } from 'aws-cdk-lib/assertions';
import type { CfnRole } from 'aws-cdk-lib/aws-iam';
import { DEFAULT_SETTINGS } from '../../lambda/domain/settings';
import type { TalkbackStack } from '../../lib/talkback-stack';
import { buildStack, logicalId } from './synth';

describe('AdminImport table access', () => {
  let stack: TalkbackStack;
  let template: Template;
  let roleId: string;
  beforeAll(() => {
    ({ stack, template } = buildStack());
    const fn = stack.api.functions.AdminImport;
    if (!fn?.role) throw new Error('no AdminImport function');
    roleId = logicalId(stack, fn.role.node.defaultChild as CfnRole);
  });

  const statements = () =>
    Object.values(template.findResources('AWS::IAM::Policy'))
      .filter(
        (policy) => JSON.stringify(policy.Properties.Roles) === JSON.stringify([{ Ref: roleId }]),
      )
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Record<string, unknown>[])
      .filter((statement) => JSON.stringify(statement.Action).includes('dynamodb:'));

  it('may Put comments and reaction markers, naming only their attributes', () => {
    const puts = statements().filter((statement) => statement.Action === 'dynamodb:PutItem');
    expect(puts).toHaveLength(1);
    const condition = (puts[0] as { Condition: Record<string, Record<string, unknown>> }).Condition;
    expect(condition['ForAllValues:StringEquals']?.['dynamodb:Attributes']).toEqual(
      expect.arrayContaining(['email', 'emailHash', 'status', 'counts']),
    );
    expect(condition['ForAllValues:StringLike']?.['dynamodb:LeadingKeys']).toEqual([
      'ARTICLE#*',
      'IMPORT#*',
    ]);
    expect(condition.Null).toEqual({ 'dynamodb:Attributes': 'false' });
  });

  it('updates and checks count, author and counter items without naming the email', () => {
    const updates = statements().filter((statement) =>
      JSON.stringify(statement.Action).includes('dynamodb:UpdateItem'),
    );
    expect(updates).toHaveLength(1);
    const update = updates[0] as {
      Action: string[];
      Condition: Record<string, Record<string, string[]>>;
    };
    expect([...update.Action].sort()).toEqual([
      'dynamodb:ConditionCheckItem',
      'dynamodb:UpdateItem',
    ]);
    const attributes = update.Condition['ForAllValues:StringEquals']?.['dynamodb:Attributes'] ?? [];
    expect(attributes).toEqual(
      expect.arrayContaining([
        'commentCount',
        'lastPublishedAt',
        'reactionTotal',
        'writes',
        ...DEFAULT_SETTINGS.reactions.map((r) => r.key),
      ]),
    );
    for (const secret of ['email', 'emailHash', 'editTokenHash'])
      expect(attributes).not.toContain(secret);
    expect(update.Condition['ForAllValues:StringLike']?.['dynamodb:LeadingKeys']).toEqual([
      'ARTICLE#*',
      'AUTHOR#*',
      'REACTIONS#*',
    ]);
  });

  it('reads nothing', () => {
    const actions = statements().flatMap((statement) => [statement.Action].flat() as string[]);
    expect(actions.filter((action) => /Get|Query|Scan/.test(action))).toEqual([]);
  });
});
