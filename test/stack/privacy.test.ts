/**
 * Only the operators' functions may read an email: every other function is unable, by IAM, to
 * read it (or its hash). This reads every policy that reaches each function's role (inline,
 * attached and managed) and checks every statement that could read the table, including writes
 * that could hand a whole item back, and the table's stream (keys only).
 */
import type { Template } from 'aws-cdk-lib/assertions';
import { DEFAULT_SETTINGS } from '../../lambda/domain/settings';
import { FALLBACK_ROUTE, ROUTES } from '../../lambda/routes';
import {
  OWNER_ATTRIBUTES,
  PRIVATE_ATTRIBUTES,
  publicAttributes,
} from '../../lambda/store/attributes';
import { TABLE_DEFINITION } from '../../lambda/store/table-definition';
import { tallyReadAttributes } from '../../lib/talkback-function';
import type { TalkbackStack } from '../../lib/talkback-stack';
import { allFunctions, buildStack, functionLogicalId, TALLY_FUNCTION_ID } from './synth';

type Resource = { Type: string; Properties: Record<string, unknown> };
interface Statement {
  Effect: string;
  Action: string | string[];
  Resource?: unknown;
  NotAction?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

const READ_ACTION =
  /^dynamodb:(\*|Get.*|BatchGet.*|Query|Scan|PartiQLSelect|TransactGet.*|ExecuteStatement|BatchExecuteStatement|ExecuteTransaction)$/i;

const WRITE_ACTION = /^dynamodb:(PutItem|UpdateItem|DeleteItem)$/i;

/** What Lambda's event source needs of the table's stream (GetRecords would match READ_ACTION). */
const STREAM_ACTION = /^dynamodb:(DescribeStream|GetRecords|GetShardIterator|ListStreams)$/i;

/** What only operators may read: the email and its hash. */
const EMAIL_ATTRIBUTES = ['email', 'emailHash'];

const TABLE_ARN = { 'Fn::GetAtt': [expect.stringMatching(/^DataTable/), 'Arn'] };
const STREAM_ARN = { 'Fn::GetAtt': [expect.stringMatching(/^DataTable/), 'StreamArn'] };

const asList = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** Every statement of every policy that applies to the function's role. */
function statementsOf(template: Template, functionId: string): Statement[] {
  const resources = template.toJSON().Resources as Record<string, Resource>;
  const fn = resources[functionId];
  if (!fn) throw new Error(`no function ${functionId}`);
  const roleId = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  const role = resources[roleId] as Resource;
  // A managed policy would hide its statements from this test: there must be none.
  expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  const inline = asList(
    role.Properties.Policies as { PolicyDocument: { Statement: Statement[] } }[],
  ).flatMap((policy) => policy.PolicyDocument.Statement);
  const attached = Object.values(resources)
    .filter(
      (resource) =>
        (resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy') &&
        JSON.stringify(resource.Properties.Roles ?? []).includes(`"${roleId}"`),
    )
    .flatMap(
      (policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
    );
  return [...inline, ...attached];
}

function dynamoActions(statement: Statement): string[] {
  return asList(statement.Action).filter((action) => /^dynamodb:/i.test(action));
}

const isStreamStatement = (statement: Statement) =>
  dynamoActions(statement).some((action) => STREAM_ACTION.test(action));

/** The statements on the table itself (not its stream). */
function tableStatements(template: Template, functionId: string): Statement[] {
  return statementsOf(template, functionId).filter(
    (statement) => dynamoActions(statement).length > 0 && !isStreamStatement(statement),
  );
}

describe('table access by IAM', () => {
  let stack: TalkbackStack;
  let template: Template;
  beforeAll(() => {
    ({ stack, template } = buildStack());
  });

  const allowList = publicAttributes(DEFAULT_SETTINGS);
  const publicReaders = ROUTES.filter((route) => route.access === 'public-read');
  const readers = ROUTES.filter((route) =>
    ['public-read', 'reaction-write'].includes(route.access),
  );

  it('has public-read functions to check', () => {
    expect(publicReaders.map((route) => route.id)).toEqual(
      expect.arrayContaining(['ListComments', 'GetReactions', 'GetCounts']),
    );
  });

  it('keeps every private attribute off the public allow-list', () => {
    for (const attribute of PRIVATE_ATTRIBUTES) expect(allowList).not.toContain(attribute);
  });

  it.each(readers.map((route) => [route.id]))(
    '%s can read the table only through the public attribute allow-list',
    (routeId) => {
      const statements = statementsOf(template, functionLogicalId(stack, routeId));
      const reads = statements.filter((statement) =>
        dynamoActions(statement).some((action) => READ_ACTION.test(action)),
      );
      expect(reads.length).toBeGreaterThan(0);
      for (const statement of reads) {
        expect(statement.Effect).toBe('Allow');
        expect(statement.NotAction).toBeUndefined();
        const condition = statement.Condition ?? {};
        const listed = condition['ForAllValues:StringEquals']?.['dynamodb:Attributes'];
        expect(listed).toEqual(allowList);
        for (const attribute of PRIVATE_ATTRIBUTES) expect(listed).not.toContain(attribute);
        // A request naming no attributes (no projection: the whole item) is refused.
        expect(condition.Null?.['dynamodb:Attributes']).toBe('false');
        expect(condition.StringEqualsIfExists?.['dynamodb:Select']).toBe('SPECIFIC_ATTRIBUTES');
        // Only the table itself: no index, whose projection the allow-list would not govern.
        expect(statement.Resource).toEqual(TABLE_ARN);
      }
    },
  );

  const ownerRoutes = ROUTES.filter((route) => route.access === 'own-comment');
  const adminRoutes = ROUTES.filter((route) => route.access === 'admin');
  const adminIds = new Set(adminRoutes.map((route) => route.id));
  /** Every function but the operators': the routes', the fallback and the reaction tally. */
  const nonAdmin = [
    ...[...ROUTES, FALLBACK_ROUTE].map((route) => [route.id, route.access] as const),
    [TALLY_FUNCTION_ID, 'reaction tally'] as const,
  ].filter(([id]) => !adminIds.has(id));

  it('checks every function of the stack: the ones listed here are all there are', () => {
    const inTemplate = Object.keys(template.findResources('AWS::Lambda::Function')).sort();
    const listed = [...nonAdmin.map(([id]) => id), ...adminIds].map((id) =>
      functionLogicalId(stack, id),
    );
    expect(listed.sort()).toEqual(inTemplate);
    expect(Object.keys(allFunctions(stack)).sort()).toEqual(
      [...nonAdmin.map(([id]) => id), ...adminIds].sort(),
    );
  });

  const ownerAllowList = ['PK', 'SK', ...OWNER_ATTRIBUTES];

  it('has own-comment and admin functions to check', () => {
    expect(ownerRoutes.map((route) => route.id).sort()).toEqual(['DeleteComment', 'EditComment']);
    expect(adminRoutes.map((route) => route.id).sort()).toEqual([
      'AdminChangeArticle',
      'AdminDeleteComment',
      'AdminErase',
      'AdminErasureCount',
      'AdminGetArticle',
      'AdminListComments',
      'AdminModerateComment',
      'AdminPinComment',
      'AdminQueueCounts',
      'AdminReply',
      'AdminUnpinComment',
    ]);
  });

  it('keeps the email and its hash off the owner allow-list', () => {
    for (const attribute of EMAIL_ATTRIBUTES) expect(ownerAllowList).not.toContain(attribute);
  });

  it.each(ownerRoutes.map((route) => [route.id]))(
    '%s reads its comment only through the owner allow-list, with the Null guard',
    (routeId) => {
      const statements = statementsOf(template, functionLogicalId(stack, routeId));
      const reads = statements.filter((statement) =>
        dynamoActions(statement).some((action) => READ_ACTION.test(action)),
      );
      expect(reads).toHaveLength(1);
      const [statement] = reads;
      expect(statement?.Effect).toBe('Allow');
      expect(asList(statement?.Action)).toEqual(['dynamodb:GetItem']);
      const condition = statement?.Condition ?? {};
      const listed = condition['ForAllValues:StringEquals']?.['dynamodb:Attributes'];
      expect(listed).toEqual(ownerAllowList);
      for (const attribute of EMAIL_ATTRIBUTES) expect(listed).not.toContain(attribute);
      expect(condition.Null?.['dynamodb:Attributes']).toBe('false');
      expect(statement?.Resource).toEqual(TABLE_ARN);
    },
  );

  it.each(ownerRoutes.map((route) => [route.id]))(
    '%s may only get, update and delete items of the table itself',
    (routeId) => {
      const statements = statementsOf(template, functionLogicalId(stack, routeId));
      expect(statements.flatMap(dynamoActions).sort()).toEqual([
        'dynamodb:DeleteItem',
        'dynamodb:GetItem',
        'dynamodb:UpdateItem',
      ]);
      for (const statement of statements.filter((s) => dynamoActions(s).length > 0)) {
        expect(statement.Resource).toEqual(TABLE_ARN);
      }
    },
  );

  it.each(nonAdmin)(
    '%s (%s) can read neither the email nor its hash, by any read or write',
    (functionId) => {
      const all = statementsOf(template, functionLogicalId(stack, functionId));
      // The stream carries keys only: reading it can reveal no attribute at all.
      for (const statement of all.filter(isStreamStatement)) {
        expect(statement.Effect).toBe('Allow');
        expect(dynamoActions(statement).every((action) => STREAM_ACTION.test(action))).toBe(true);
        expect(statement.Resource).toEqual(STREAM_ARN);
        template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
          StreamSpecification: { StreamViewType: 'KEYS_ONLY' },
        });
      }
      const statements = all.filter(
        (statement) => dynamoActions(statement).length > 0 && !isStreamStatement(statement),
      );
      for (const statement of statements) {
        expect(statement.Effect).toBe('Allow');
        expect(statement.NotAction).toBeUndefined();
        expect(statement.Resource).toEqual(TABLE_ARN);
        const actions = dynamoActions(statement);
        const condition = statement.Condition ?? {};
        if (actions.some((action) => READ_ACTION.test(action))) {
          const listed = condition['ForAllValues:StringEquals']?.['dynamodb:Attributes'];
          expect(Array.isArray(listed)).toBe(true);
          for (const attribute of EMAIL_ATTRIBUTES) expect(listed).not.toContain(attribute);
          expect(condition.Null?.['dynamodb:Attributes']).toBe('false');
        }
        if (actions.some((action) => WRITE_ACTION.test(action))) {
          // ALL_OLD / ALL_NEW would return the whole item, email included.
          expect(condition.StringEqualsIfExists?.['dynamodb:ReturnValues']).toEqual([
            'NONE',
            'UPDATED_OLD',
            'UPDATED_NEW',
          ]);
        }
      }
    },
  );

  it.each(adminRoutes.map((route) => [route.id]))(
    '%s reads whole comments, from the named indexes and the table only',
    (routeId) => {
      const statements = statementsOf(template, functionLogicalId(stack, routeId)).filter(
        (statement) => dynamoActions(statement).length > 0,
      );
      // The index statement is the one whose resources are index ARNs.
      const queries = statements.filter((statement) =>
        JSON.stringify(statement.Resource).includes('/index/'),
      );
      expect(queries).toHaveLength(1);
      expect(asList(queries[0]?.Action)).toEqual(['dynamodb:Query']);
      const indexArns = asList(queries[0]?.Resource).map((resource) => JSON.stringify(resource));
      expect(indexArns).toHaveLength(TABLE_DEFINITION.globalIndexes.length);
      for (const name of ['byStatus', 'byCommentId', 'byEmailHash']) {
        expect(indexArns).toContainEqual(expect.stringMatching(`"/index/${name}"`));
      }
      // On the table: one article's queue (Query of its partition), returning authors
      // (BatchGetItem), status changes, pins, closing, erasure, and a staff reply's transaction.
      const onTable = statements.filter((statement) => statement !== queries[0]);
      expect(onTable.flatMap(dynamoActions).sort()).toEqual([
        'dynamodb:BatchGetItem',
        'dynamodb:ConditionCheckItem',
        'dynamodb:DeleteItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
      ]);
      for (const statement of onTable) {
        expect(statement.Resource).toEqual(TABLE_ARN);
        // Unlike every other function's: no attribute allow-list, so the email is readable.
        expect(statement.Condition).toBeUndefined();
      }
    },
  );

  it.each(publicReaders.map((route) => [route.id]))('%s cannot write', (routeId) => {
    const actions = statementsOf(template, functionLogicalId(stack, routeId)).flatMap(
      dynamoActions,
    );
    expect(actions.sort()).toEqual(['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query']);
  });

  it.each(
    [...ROUTES.map((route) => route.id), FALLBACK_ROUTE.id, TALLY_FUNCTION_ID].map((id) => [id]),
  )('%s has no Scan, wildcard or PartiQL action', (functionId) => {
    const actions = statementsOf(template, functionLogicalId(stack, functionId)).flatMap(
      (statement) => asList(statement.Action),
    );
    for (const action of actions) {
      expect(action).not.toMatch(/^dynamodb:(Scan|\*|.*Statement|.*Transaction)/i);
      expect(action).not.toBe('*');
      expect(action).not.toMatch(/^dynamodb:.*\*/);
    }
  });

  it.each(
    [...ROUTES, FALLBACK_ROUTE]
      .filter((route) => route.access === 'none')
      .map((route) => [route.id]),
  )('%s has no table access at all', (routeId) => {
    const actions = statementsOf(template, functionLogicalId(stack, routeId)).flatMap(
      dynamoActions,
    );
    expect(actions).toEqual([]);
  });

  it('CreateComment may only put, update and condition-check', () => {
    const actions = statementsOf(template, functionLogicalId(stack, 'CreateComment')).flatMap(
      dynamoActions,
    );
    expect(actions.sort()).toEqual([
      'dynamodb:ConditionCheckItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    ]);
  });

  it.each([['PutReaction'], ['DeleteReaction']])(
    '%s writes without getting whole items back',
    (routeId) => {
      const writes = statementsOf(template, functionLogicalId(stack, routeId)).filter((statement) =>
        dynamoActions(statement).some((action) => /Item$/.test(action)),
      );
      const writeStatements = writes.filter(
        (statement) => !dynamoActions(statement).includes('dynamodb:BatchGetItem'),
      );
      expect(writeStatements).toHaveLength(1);
      const [statement] = writeStatements;
      expect(asList(statement?.Action).sort()).toEqual([
        'dynamodb:DeleteItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
      ]);
      const allowed = statement?.Condition?.StringEqualsIfExists?.['dynamodb:ReturnValues'];
      expect(allowed).not.toContain('ALL_OLD');
      expect(allowed).not.toContain('ALL_NEW');
    },
  );

  it('lets only the reaction tally read the table stream', () => {
    for (const functionId of Object.keys(allFunctions(stack))) {
      const streamActions = statementsOf(template, functionLogicalId(stack, functionId))
        .filter(isStreamStatement)
        .flatMap(dynamoActions);
      if (functionId === TALLY_FUNCTION_ID) {
        expect(streamActions.sort()).toEqual([
          'dynamodb:DescribeStream',
          'dynamodb:GetRecords',
          'dynamodb:GetShardIterator',
          'dynamodb:ListStreams',
        ]);
      } else {
        expect([functionId, streamActions]).toEqual([functionId, []]);
      }
    }
  });

  describe('the reaction tally', () => {
    const tallyAllowList = tallyReadAttributes(DEFAULT_SETTINGS);

    it('may read the counter shards and their write counts, and nothing private', () => {
      expect(tallyAllowList).toEqual([...allowList, 'writes']);
      for (const attribute of PRIVATE_ATTRIBUTES) expect(tallyAllowList).not.toContain(attribute);
      const reads = tableStatements(template, functionLogicalId(stack, TALLY_FUNCTION_ID)).filter(
        (statement) => dynamoActions(statement).some((action) => READ_ACTION.test(action)),
      );
      expect(reads).toHaveLength(1);
      const [statement] = reads;
      expect(asList(statement?.Action)).toEqual(['dynamodb:BatchGetItem']);
      expect(statement?.Resource).toEqual(TABLE_ARN);
      const condition = statement?.Condition ?? {};
      expect(condition['ForAllValues:StringEquals']?.['dynamodb:Attributes']).toEqual(
        tallyAllowList,
      );
      expect(condition.Null?.['dynamodb:Attributes']).toBe('false');
      expect(condition.StringEqualsIfExists?.['dynamodb:Select']).toBe('SPECIFIC_ATTRIBUTES');
    });

    it('may only batch-get and update items of the table, never getting a whole item back', () => {
      const statements = tableStatements(template, functionLogicalId(stack, TALLY_FUNCTION_ID));
      expect(statements.flatMap(dynamoActions).sort()).toEqual([
        'dynamodb:BatchGetItem',
        'dynamodb:UpdateItem',
      ]);
      const [update] = statements.filter((statement) =>
        dynamoActions(statement).includes('dynamodb:UpdateItem'),
      );
      expect(asList(update?.Action)).toEqual(['dynamodb:UpdateItem']);
      expect(update?.Resource).toEqual(TABLE_ARN);
      expect(update?.Condition?.StringEqualsIfExists?.['dynamodb:ReturnValues']).toEqual([
        'NONE',
        'UPDATED_OLD',
        'UPDATED_NEW',
      ]);
    });

    it('follows a custom reaction set', () => {
      const custom = buildStack({ reactions: [{ key: 'agree', label: 'Agree' }] });
      const [statement] = tableStatements(
        custom.template,
        functionLogicalId(custom.stack, TALLY_FUNCTION_ID),
      ).filter((candidate) => dynamoActions(candidate).includes('dynamodb:BatchGetItem'));
      const listed = statement?.Condition?.['ForAllValues:StringEquals']?.['dynamodb:Attributes'];
      expect(listed).toContain('agree');
      expect(listed).toContain('writes');
      expect(listed).not.toContain('happy');
    });
  });

  it('reflects a custom reaction set in the allow-list', () => {
    const custom = buildStack({ reactions: [{ key: 'agree', label: 'Agree' }] });
    const [statement] = statementsOf(
      custom.template,
      functionLogicalId(custom.stack, 'GetReactions'),
    ).filter((candidate) => dynamoActions(candidate).includes('dynamodb:Query'));
    const listed = statement?.Condition?.['ForAllValues:StringEquals']?.['dynamodb:Attributes'];
    expect(listed).toContain('agree');
    expect(listed).not.toContain('happy');
  });
});
