/**
 * Only the operators' functions may read an email: every other function is unable, by IAM, to
 * read it (or its hash). This reads every policy that reaches each function's role (inline,
 * attached and managed) and checks every statement that could read the table, including writes
 * that could hand a whole item back, and the table's stream (keys only).
 */
import type { CfnElement } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { DEFAULT_SETTINGS } from '../../lambda/domain/settings';
import { FALLBACK_ROUTE, ROUTES } from '../../lambda/routes';
import {
  ARTICLE_GATE_ATTRIBUTES,
  LINK_ACTION_ATTRIBUTES,
  OWNER_ATTRIBUTES,
  PRIVATE_ATTRIBUTES,
  publicAttributes,
} from '../../lambda/store/attributes';
import { tallyReadAttributes } from '../../lib/table-conditions';
import type { TalkbackStack } from '../../lib/talkback-stack';
import { allFunctions, buildStack, functionLogicalId, roleOf, TALLY_FUNCTION_ID } from './synth';

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

const WRITE_ACTION = /^dynamodb:(PutItem|UpdateItem|DeleteItem|ConditionCheckItem)$/i;

/** What Lambda's event source needs of the table's stream (GetRecords would match READ_ACTION). */
const STREAM_ACTION = /^dynamodb:(DescribeStream|GetRecords|GetShardIterator|ListStreams)$/i;

/** What only operators may read: the email and its hash. */
const EMAIL_ATTRIBUTES = ['email', 'emailHash'];

const TABLE_ARN = { 'Fn::GetAtt': [expect.stringMatching(/^DataTable/), 'Arn'] };
/** TABLE_ARN for CDK's Match (which does not take jest's asymmetric matchers). */
const TABLE_ARN_MATCH = { 'Fn::GetAtt': [Match.stringLikeRegexp('^DataTable'), 'Arn'] };
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

/**
 * The screening functions' read of the house rules' one item (test/stack/screening.test.ts
 * checks it exactly): a GetItem on SCREEN#RULES only, by the rules' attributes, never an email.
 */
const isHouseRulesRead = (statement: Statement) => {
  const keys = statement.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'];
  const listed = statement.Condition?.['ForAllValues:StringEquals']?.['dynamodb:Attributes'];
  return (
    JSON.stringify(keys) === JSON.stringify(['SCREEN#RULES']) &&
    JSON.stringify(asList(statement.Action)) === JSON.stringify(['dynamodb:GetItem']) &&
    Array.isArray(listed) &&
    !listed.some((name) => EMAIL_ATTRIBUTES.includes(String(name)))
  );
};

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
  const publicReadKinds = ['comment-read', 'reaction-read', 'counts-read'];
  const publicReaders = ROUTES.filter((route) => publicReadKinds.includes(route.access));
  const readers = ROUTES.filter((route) =>
    [...publicReadKinds, 'reaction-write'].includes(route.access),
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
        // The table itself, or index byTop, which holds public attributes only (its projection
        // is checked in talkback-stack.test.ts) and is read under the same allow-list.
        expect([TABLE_ARN, TOP_INDEX_ARN]).toContainEqual(statement.Resource);
      }
    },
  );

  it("gives CDK's widget deployment function no access to the table", () => {
    const deployment = Object.entries(template.findResources('AWS::Lambda::Function')).filter(
      ([id]) => id.startsWith('CustomCDKBucketDeployment'),
    );
    expect(deployment).toHaveLength(1);
    const [, resource] = deployment[0] ?? [];
    const role = (resource as { Properties: { Role: { 'Fn::GetAtt': string[] } } } | undefined)
      ?.Properties.Role['Fn::GetAtt'];
    const roleId = role?.[0];
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((policy) =>
      JSON.stringify(policy.Properties.Roles).includes(String(roleId)),
    );
    expect(policies.length).toBeGreaterThan(0);
    expect(JSON.stringify(policies)).not.toMatch(/dynamodb:/);
  });

  const ownerRoutes = ROUTES.filter((route) => route.access.startsWith('own-comment'));
  const adminRoutes = ROUTES.filter((route) => route.access.startsWith('admin-'));
  const adminIds = new Set(adminRoutes.map((route) => route.id));
  /** Every function but the operators': the routes', the fallback and the reaction tally. */
  const nonAdmin = [
    ...[...ROUTES, FALLBACK_ROUTE].map((route) => [route.id, route.access] as const),
    [TALLY_FUNCTION_ID, 'reaction tally'] as const,
  ].filter(([id]) => !adminIds.has(id));

  it('checks every function of the stack: the ones listed here are all there are', () => {
    // Besides CDK's deploy-time function that copies the widget into its bucket (next test).
    const inTemplate = Object.keys(template.findResources('AWS::Lambda::Function'))
      .filter((id) => !id.startsWith('CustomCDKBucketDeployment'))
      .sort();
    const listed = [...nonAdmin.map(([id]) => id), ...adminIds].map((id) =>
      functionLogicalId(stack, id),
    );
    expect(listed.sort()).toEqual(inTemplate);
    expect(Object.keys(allFunctions(stack)).sort()).toEqual(
      [...nonAdmin.map(([id]) => id), ...adminIds].sort(),
    );
  });

  const ownerAllowList = ['PK', 'SK', ...OWNER_ATTRIBUTES];
  /** An edit reads its comment and, in the same batch, its article's gate (moderation policy). */
  const editAllowList = [...new Set([...ownerAllowList, ...ARTICLE_GATE_ATTRIBUTES])];
  /** How each owner's route reads, and what else it may do. */
  const ownerReads: Record<string, { read: string; allowList: string[]; actions: string[] }> = {
    DeleteComment: {
      read: 'dynamodb:GetItem',
      allowList: ownerAllowList,
      actions: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem'],
    },
    EditComment: {
      read: 'dynamodb:BatchGetItem',
      allowList: editAllowList,
      actions: ['dynamodb:BatchGetItem', 'dynamodb:UpdateItem'],
    },
  };

  /** Index byTop (the Top order): public attributes only, under the public allow-list. */
  const TOP_INDEX_ARN = { 'Fn::Join': ['', [TABLE_ARN, '/index/byTop']] };

  it('has own-comment and admin functions to check', () => {
    expect(ownerRoutes.map((route) => route.id).sort()).toEqual(['DeleteComment', 'EditComment']);
    expect(adminRoutes.map((route) => route.id).sort()).toEqual([
      'AdminChangeArticle',
      'AdminChangeCommenter',
      'AdminDeleteComment',
      'AdminErase',
      'AdminErasureCount',
      'AdminFeatureComment',
      'AdminFindCommenter',
      'AdminGetArticle',
      'AdminGetCommenter',
      'AdminGetHouseRules',
      'AdminListComments',
      'AdminModerateComment',
      'AdminPinComment',
      'AdminPutHouseRules',
      'AdminQueueCounts',
      'AdminReply',
      'AdminTransparency',
      'AdminUnfeatureComment',
      'AdminUnpinComment',
    ]);
  });

  it('keeps the email and its hash off the owner allow-lists', () => {
    for (const attribute of EMAIL_ATTRIBUTES) {
      expect(ownerAllowList).not.toContain(attribute);
      expect(editAllowList).not.toContain(attribute);
    }
  });

  it.each(ownerRoutes.map((route) => [route.id]))(
    '%s reads its comment only through the owner allow-list, with the Null guard',
    (routeId) => {
      const statements = statementsOf(template, functionLogicalId(stack, routeId)).filter(
        (statement) => !isHouseRulesRead(statement),
      );
      const reads = statements.filter((statement) =>
        dynamoActions(statement).some((action) => READ_ACTION.test(action)),
      );
      expect(reads).toHaveLength(1);
      const [statement] = reads;
      expect(statement?.Effect).toBe('Allow');
      expect(asList(statement?.Action)).toEqual([ownerReads[routeId]?.read]);
      const condition = statement?.Condition ?? {};
      const listed = condition['ForAllValues:StringEquals']?.['dynamodb:Attributes'];
      expect(listed).toEqual(ownerReads[routeId]?.allowList);
      for (const attribute of EMAIL_ATTRIBUTES) expect(listed).not.toContain(attribute);
      expect(condition.Null?.['dynamodb:Attributes']).toBe('false');
      expect(statement?.Resource).toEqual(TABLE_ARN);
    },
  );

  it.each(ownerRoutes.map((route) => [route.id]))(
    '%s may only read, update (and delete) items of the table itself',
    (routeId) => {
      const statements = statementsOf(template, functionLogicalId(stack, routeId)).filter(
        (statement) => !isHouseRulesRead(statement),
      );
      expect(statements.flatMap(dynamoActions).sort()).toEqual(ownerReads[routeId]?.actions);
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
        const actions = dynamoActions(statement);
        // The public reads' Query of index byTop (public attributes only), else the table.
        expect(statement.Resource).toEqual(
          actions.join() === 'dynamodb:Query' &&
            JSON.stringify(statement.Resource).includes('/index/')
            ? { 'Fn::Join': ['', [TABLE_ARN, '/index/byTop']] }
            : TABLE_ARN,
        );
        // Every action is a read or a write of single items: nothing else reaches an attribute.
        for (const action of actions) {
          expect([action, READ_ACTION.test(action) || WRITE_ACTION.test(action)]).toEqual([
            action,
            true,
          ]);
        }
        // Reads and writes alike name their attributes from an allow-list (a write's item,
        // update and condition: `SET email = email` or `begins_with(email, :guess)` needs the
        // email on it), and a request naming none is refused.
        const condition = statement.Condition ?? {};
        const listed = condition['ForAllValues:StringEquals']?.['dynamodb:Attributes'];
        expect(Array.isArray(listed)).toBe(true);
        expect(condition.Null?.['dynamodb:Attributes']).toBe('false');
        // A moderator's link reads the email's hash (never the email) to record the approved
        // author, as the operators' moderate route does: its one GetItem, checked on its own below.
        if (functionId === 'ModerationLink' && actions.join() === 'dynamodb:GetItem') {
          expect(listed).toEqual([...LINK_ACTION_ATTRIBUTES]);
          continue;
        }
        const namesEmail = EMAIL_ATTRIBUTES.some((name) => (listed as string[]).includes(name));
        // Only a new or imported comment's Put may name them, and a report's Put the email of a
        // notifier of illegal content (of the REPORTS# partition only, and never its hash): each
        // writes them, and may do nothing else.
        const puts = ['CreateComment', 'AdminImport', 'PostReport'].includes(functionId);
        expect([functionId, actions, namesEmail]).toEqual(
          namesEmail
            ? [puts ? functionId : 'CreateComment', ['dynamodb:PutItem'], true]
            : [functionId, actions, false],
        );
        if (namesEmail && functionId === 'PostReport') {
          expect(listed).not.toContain('emailHash');
          expect(condition['ForAllValues:StringLike']?.['dynamodb:LeadingKeys']).toEqual([
            'REPORTS#*',
          ]);
        }
        if (actions.some((action) => WRITE_ACTION.test(action))) {
          // UPDATED_OLD / UPDATED_NEW would return what `SET email = email` set; ALL_OLD /
          // ALL_NEW the whole item. A write hands nothing back.
          expect(condition.StringEqualsIfExists?.['dynamodb:ReturnValues']).toBe('NONE');
        }
      }
    },
  );

  it('ModerationLink reads the email’s hash but never the email, and only by GetItem of comments and link markers', () => {
    expect(LINK_ACTION_ATTRIBUTES).toContain('emailHash');
    expect(LINK_ACTION_ATTRIBUTES).not.toContain('email');
    const statements = tableStatements(template, functionLogicalId(stack, 'ModerationLink'));
    const reads = statements.filter((statement) =>
      dynamoActions(statement).some((action) => READ_ACTION.test(action)),
    );
    expect(reads.map((statement) => statement.Action)).toEqual(['dynamodb:GetItem']);
    expect(reads[0]?.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys']).toEqual([
      'ARTICLE#*',
      'LINK#*',
    ]);
    expect(reads[0]?.Condition?.Null?.['dynamodb:Attributes']).toBe('false');
    expect(statements.flatMap(dynamoActions).sort()).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    ]);
  });

  /** What each operator function does (lambda/store/moderation-repository.ts). */
  const ADMIN_GRANTS: Record<string, { indexes: string[]; onTable: string[] }> = {
    // The queue by status (index byStatus) or one article's (a Query of its partition), and
    // which authors have published (a BatchGetItem of author items); the list of articles
    // (index articles).
    AdminListComments: {
      indexes: ['byStatus', 'articles'],
      onTable: ['dynamodb:BatchGetItem', 'dynamodb:Query'],
    },
    // The same queues, counted.
    AdminQueueCounts: { indexes: ['byStatus'], onTable: ['dynamodb:Query'] },
    // The transparency counters and the screen's tuning counts: a Query of each partition.
    AdminTransparency: { indexes: [], onTable: ['dynamodb:Query'] },
    // The comment by id, then its status, counts and author item in one transaction; then its
    // open reports (a Query of their partition), each updated with the decision.
    AdminModerateComment: {
      indexes: ['byCommentId'],
      onTable: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
    },
    // The comment by id, then deleted and uncounted in one transaction; then a reported one's
    // open reports (a Query of their partition), each updated with the decision `removed`.
    AdminDeleteComment: {
      indexes: ['byCommentId'],
      onTable: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
    },
    // The email's comments by its hash, batch-read for a signed-in reader's own subscription
    // (deleted), each updated (a pinned one's copies too); the author item deleted. No GetItem.
    AdminErase: {
      indexes: ['byEmailHash'],
      onTable: ['dynamodb:BatchGetItem', 'dynamodb:DeleteItem', 'dynamodb:UpdateItem'],
    },
    // The email's comments by its hash, counted: nothing on the table.
    AdminErasureCount: { indexes: ['byEmailHash'], onTable: [] },
    // The article's stats item, read; closed or reopened, then read.
    AdminGetArticle: { indexes: [], onTable: ['dynamodb:GetItem'] },
    AdminChangeArticle: { indexes: [], onTable: ['dynamodb:GetItem', 'dynamodb:UpdateItem'] },
    // A commenter's record, their comments' keys and statuses by the index, the latest batch-read;
    // a change Puts the record. The ids an email's comments name: by its hash, batch-read.
    AdminGetCommenter: {
      indexes: ['byCommenter'],
      onTable: ['dynamodb:BatchGetItem', 'dynamodb:GetItem'],
    },
    AdminChangeCommenter: {
      indexes: ['byCommenter'],
      onTable: ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:PutItem'],
    },
    AdminFindCommenter: { indexes: ['byEmailHash'], onTable: ['dynamodb:BatchGetItem'] },
    // The house rules' one item: read, or replaced with no read.
    AdminGetHouseRules: { indexes: [], onTable: ['dynamodb:GetItem'] },
    AdminPutHouseRules: { indexes: [], onTable: ['dynamodb:PutItem'] },
    // The comment by id, then it and the stats items' copies updated.
    AdminPinComment: {
      indexes: ['byCommentId'],
      onTable: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
    },
    AdminUnpinComment: {
      indexes: ['byCommentId'],
      onTable: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
    },
    // The comment by id, then it and the stats items' featured copies updated.
    AdminFeatureComment: {
      indexes: ['byCommentId'],
      onTable: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
    },
    AdminUnfeatureComment: {
      indexes: ['byCommentId'],
      onTable: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
    },
    // A new comment's transaction: Put, ConditionCheck of the parent, count Updates. No read.
    AdminReply: {
      indexes: [],
      onTable: ['dynamodb:ConditionCheckItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
    },
  };

  it('knows the grants of every operator function', () => {
    expect(Object.keys(ADMIN_GRANTS).sort()).toEqual([...adminIds].sort());
  });

  it.each(Object.entries(ADMIN_GRANTS))(
    '%s may query only its own index and do only what it does on the table',
    (routeId, { indexes, onTable }) => {
      const statements = statementsOf(template, functionLogicalId(stack, routeId)).filter(
        (statement) => dynamoActions(statement).length > 0,
      );
      // The index statement is the one whose resources are index ARNs.
      const queries = statements.filter((statement) =>
        JSON.stringify(statement.Resource).includes('/index/'),
      );
      for (const query of queries) expect(asList(query.Action)).toEqual(['dynamodb:Query']);
      expect(queries.flatMap((query) => asList(query.Resource))).toEqual(
        indexes.map((index) => ({ 'Fn::Join': ['', [TABLE_ARN, `/index/${index}`]] })),
      );
      const onTableStatements = statements.filter((statement) => !queries.includes(statement));
      expect(onTableStatements.flatMap(dynamoActions).sort()).toEqual(onTable);
      for (const statement of onTableStatements) {
        expect(statement.Resource).toEqual(TABLE_ARN);
        // Unlike every other function's: no attribute allow-list, so the email is readable;
        // except the house rules' routes, confined to that one item's attributes.
        if (routeId.endsWith('HouseRules')) {
          expect(statement.Condition?.['ForAllValues:StringLike']).toEqual({
            'dynamodb:LeadingKeys': ['SCREEN#RULES'],
          });
        } else {
          expect(statement.Condition).toBeUndefined();
        }
      }
    },
  );

  it.each([
    ['ListComments', ['dynamodb:Query'], ['ARTICLE#*']],
    ['GetReactions', ['dynamodb:BatchGetItem'], ['REACTIONS#*', 'VOTE#*']],
    ['GetCounts', ['dynamodb:BatchGetItem'], ['ARTICLE#*']],
  ])('%s may only %j, of the partitions %j', (routeId, actions, partitions) => {
    const roleId = roleOf(template, functionLogicalId(stack, routeId));
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: roleId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: actions.length === 1 ? actions[0] : actions,
            Resource: TABLE_ARN_MATCH,
            Condition: Match.objectLike({
              'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': partitions },
            }),
          }),
        ]),
      },
    });
    // ListComments queries the table and index byTop (the Top order): Query both times.
    expect([
      ...new Set(statementsOf(template, functionLogicalId(stack, routeId)).flatMap(dynamoActions)),
    ]).toEqual(actions);
  });

  it.each(publicReaders.map((route) => [route.id]))('%s cannot write', (routeId) => {
    const actions = statementsOf(template, functionLogicalId(stack, routeId)).flatMap(
      dynamoActions,
    );
    for (const action of actions) expect(action).not.toMatch(WRITE_ACTION);
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

  it('CreateComment may only batch-get the gate’s settings and state, put, update and condition-check', () => {
    const statements = statementsOf(template, functionLogicalId(stack, 'CreateComment')).filter(
      (statement) => !isHouseRulesRead(statement),
    );
    expect(statements.flatMap(dynamoActions).sort()).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:ConditionCheckItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    ]);
    // The gate reads the article's stats item and the commenter's record, and nothing private
    // of any item: not the email, not the record's note.
    const get = statements.find((statement) =>
      dynamoActions(statement).includes('dynamodb:BatchGetItem'),
    );
    const readable = get?.Condition?.['ForAllValues:StringEquals']?.['dynamodb:Attributes'];
    expect(readable).toEqual(expect.arrayContaining(['closed', 'moderation', 'commenting']));
    expect(readable).not.toEqual(expect.arrayContaining(['email']));
    expect(readable).not.toEqual(expect.arrayContaining(['emailHash']));
    expect(readable).not.toEqual(expect.arrayContaining(['note']));
    expect(readable).toEqual(expect.arrayContaining(['state', 'until']));
    expect(get?.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys']).toEqual([
      'ARTICLE#*',
      'COMMENTER#*',
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
      expect(statement?.Condition?.StringEqualsIfExists?.['dynamodb:ReturnValues']).toBe('NONE');
      expect(statement?.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys']).toEqual([
        'CLIENT#*',
        'VOTE#*',
        'REACTIONS#*',
      ]);
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

    it("may read the counter shards, the comments' signals, and nothing private", () => {
      expect(tallyAllowList).toEqual([
        'PK',
        'SK',
        'writes',
        ...DEFAULT_SETTINGS.reactions.map((reaction) => reaction.key),
      ]);
      for (const attribute of PRIVATE_ATTRIBUTES) expect(tallyAllowList).not.toContain(attribute);
      const reads = tableStatements(template, functionLogicalId(stack, TALLY_FUNCTION_ID)).filter(
        (statement) => dynamoActions(statement).some((action) => READ_ACTION.test(action)),
      );
      // The reactions' shards; the comments' status and public fields, their signals items
      // and like counters (lambda/store/comment-signals.ts).
      expect(reads).toHaveLength(2);
      for (const statement of reads) {
        expect(asList(statement?.Action)).toEqual(['dynamodb:BatchGetItem']);
        expect(statement?.Resource).toEqual(TABLE_ARN);
        const condition = statement?.Condition ?? {};
        const listed = condition['ForAllValues:StringEquals']?.['dynamodb:Attributes'] as string[];
        for (const attribute of PRIVATE_ATTRIBUTES) expect(listed).not.toContain(attribute);
        expect(condition.Null?.['dynamodb:Attributes']).toBe('false');
        expect(condition.StringEqualsIfExists?.['dynamodb:Select']).toBe('SPECIFIC_ATTRIBUTES');
      }
      expect(reads[0]?.Condition?.['ForAllValues:StringEquals']?.['dynamodb:Attributes']).toEqual(
        tallyAllowList,
      );
      expect(
        reads.map(
          (statement) => statement.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'],
        ),
      ).toEqual([['REACTIONS#*'], ['ARTICLE#*', 'SIGNALS#*', 'LIKES#*']]);
    });

    it('may only batch-get, update and put or delete signals items, never getting a whole item back', () => {
      const statements = tableStatements(template, functionLogicalId(stack, TALLY_FUNCTION_ID));
      expect([...new Set(statements.flatMap(dynamoActions))].sort()).toEqual([
        'dynamodb:BatchGetItem',
        'dynamodb:DeleteItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
      ]);
      const writes = statements.filter((statement) =>
        dynamoActions(statement).some((action) => WRITE_ACTION.test(action)),
      );
      for (const statement of writes) {
        expect(statement.Resource).toEqual(TABLE_ARN);
        expect(statement.Condition?.StringEqualsIfExists?.['dynamodb:ReturnValues']).toBe('NONE');
        expect(statement.Condition?.Null?.['dynamodb:Attributes']).toBe('false');
        const listed = statement.Condition?.['ForAllValues:StringEquals']?.[
          'dynamodb:Attributes'
        ] as string[];
        for (const attribute of PRIVATE_ATTRIBUTES) expect(listed).not.toContain(attribute);
      }
      // The count items' tally: only the attributes a tally sets or tests.
      const [update] = writes;
      expect(asList(update?.Action)).toEqual(['dynamodb:UpdateItem']);
      expect(update?.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys']).toEqual([
        'ARTICLE#*',
      ]);
      expect(update?.Condition?.['ForAllValues:StringEquals']?.['dynamodb:Attributes']).toEqual([
        'PK',
        'SK',
        'entity',
        'articleId',
        'reactionTotal',
        'reactionCounts',
        'reactionWrites',
        'updatedAt',
        // The head stats item heads the article in index byTop and lists it (lambda/store/keys.ts
        // ARTICLE_LIST).
        'topOf',
        'topRank',
        'articleList',
      ]);
      // Signals items are the only items it puts or deletes.
      const putDelete = writes.find((statement) =>
        dynamoActions(statement).includes('dynamodb:PutItem'),
      );
      expect(asList(putDelete?.Action).sort()).toEqual(['dynamodb:DeleteItem', 'dynamodb:PutItem']);
      expect(putDelete?.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys']).toEqual([
        'SIGNALS#*',
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
      expect(listed).not.toContain('commentId');
    });
  });

  it('reflects a custom reaction set in the allow-list', () => {
    const custom = buildStack({ reactions: [{ key: 'agree', label: 'Agree' }] });
    const [statement] = statementsOf(
      custom.template,
      functionLogicalId(custom.stack, 'GetReactions'),
    ).filter((candidate) => dynamoActions(candidate).includes('dynamodb:BatchGetItem'));
    const listed = statement?.Condition?.['ForAllValues:StringEquals']?.['dynamodb:Attributes'];
    expect(listed).toContain('agree');
    expect(listed).not.toContain('happy');
  });
});

describe('with mail on (the mailFrom context)', () => {
  const { stack, template } = buildStack({
    mailFrom: 'News Site <comments@news.example>',
    siteName: 'News Site',
    articleUrlTemplate: 'https://news.example/{articleId}',
  });
  const mail = stack.mail;
  if (!mail) throw new Error('no mail construct');
  const resources = template.toJSON().Resources as Record<string, Resource>;
  // CDK's widget deployment function is checked apart (it has no table access at all).
  const functionIds = Object.keys(template.findResources('AWS::Lambda::Function')).filter(
    (id) => !id.startsWith('CustomCDKBucketDeployment'),
  );
  const mailIds = [mail.dispatcher, mail.sender].map((fn) =>
    stack.getLogicalId(fn.node.defaultChild as CfnElement),
  );
  const adminIds = ROUTES.filter((route) => route.auth === 'operator').map((route) =>
    functionLogicalId(stack, route.id),
  );
  // The import route and a staff reply are operators' but read nothing: they only write.
  // The house rules' routes read (or write) one item by its rules' attributes alone.
  const adminReaderIds = ROUTES.filter(
    (route) =>
      route.access.startsWith('admin-') &&
      !['admin-reply', 'admin-house-rules-read', 'admin-house-rules-write'].includes(route.access),
  ).map((route) => functionLogicalId(stack, route.id));

  /** Could this statement return an email: a read with no attribute allow-list. */
  const readsWholeItems = (statement: Statement) =>
    dynamoActions(statement).some((action) => READ_ACTION.test(action)) &&
    !isStreamStatement(statement) &&
    statement.Condition?.['ForAllValues:StringEquals']?.['dynamodb:Attributes'] === undefined;

  it('lets only the operators’ and the mail functions read whole items', () => {
    expect(resources).toBeDefined();
    const readers = functionIds.filter((id) => statementsOf(template, id).some(readsWholeItems));
    expect(readers.sort()).toEqual([...adminReaderIds, ...mailIds].sort());
  });

  it('keeps every other write from returning whole items', () => {
    for (const id of functionIds.filter((candidate) => !adminIds.includes(candidate))) {
      for (const statement of statementsOf(template, id)) {
        if (!dynamoActions(statement).some((action) => WRITE_ACTION.test(action))) continue;
        expect(statement.Condition?.StringEqualsIfExists?.['dynamodb:ReturnValues']).toBe('NONE');
      }
    }
  });
});
