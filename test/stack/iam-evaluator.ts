/**
 * Evaluates a function's IAM statements (from the synthesized template) against the DynamoDB
 * requests its code really makes, the way DynamoDB authorizes them: a TransactWriteItems as
 * each of its actions (PutItem, UpdateItem, DeleteItem, ConditionCheckItem), with the condition
 * keys dynamodb:Attributes (every attribute the request names: its key, item, update,
 * condition, projection), dynamodb:LeadingKeys (partition key values), dynamodb:ReturnValues and
 * dynamodb:Select. Conservative where AWS's documentation leaves a doubt: key attributes count
 * for the allow-list but not for the Null guard. An operator or key it does not know is an
 * error, never a pass.
 */

type Item = Record<string, unknown>;

export interface PolicyStatement {
  Effect: string;
  Action: string | string[];
  Resource?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

export interface TableRequest {
  action: string;
  /** 'table', or 'index/<name>' for a Query of an index. */
  resource: string;
  /** Attributes named besides the key: item, update, condition, projection, filter. */
  attributes: string[];
  keyAttributes: string[];
  leadingKeys: string[];
  returnValues?: string;
  select?: string;
}

const KEYWORDS = new Set(
  [
    'SET',
    'ADD',
    'REMOVE',
    'DELETE',
    'AND',
    'OR',
    'NOT',
    'BETWEEN',
    'IN',
    'attribute_exists',
    'attribute_not_exists',
    'attribute_type',
    'begins_with',
    'contains',
    'size',
    'if_not_exists',
    'list_append',
  ].map((word) => word.toLowerCase()),
);

/** The top-level attribute names an expression refers to. */
export function expressionAttributes(
  expression: string | undefined,
  names: Record<string, string> = {},
): string[] {
  if (!expression) return [];
  const found: string[] = [];
  for (const match of expression.matchAll(/(^|[^.\w#:])([#:]?[A-Za-z_][\w-]*)/g)) {
    const token = match[2] ?? '';
    if (token.startsWith(':')) continue;
    if (token.startsWith('#')) {
      const name = names[token];
      if (name === undefined) throw new Error(`no name for ${token} in ${expression}`);
      found.push(name);
    } else if (!KEYWORDS.has(token.toLowerCase())) {
      found.push(token);
    }
  }
  return found;
}

const KEY = ['PK', 'SK'];

function single(
  action: string,
  input: Item,
  extra: { item?: Item; expressions: (string | undefined)[] },
): TableRequest {
  const names = (input.ExpressionAttributeNames ?? {}) as Record<string, string>;
  const key = (input.Key ?? extra.item ?? {}) as Item;
  const itemAttributes = Object.entries(extra.item ?? {})
    .filter(([name, value]) => value !== undefined && !KEY.includes(name))
    .map(([name]) => name);
  return {
    action,
    resource: 'table',
    attributes: [
      ...itemAttributes,
      ...extra.expressions.flatMap((expression) => expressionAttributes(expression, names)),
    ],
    keyAttributes: Object.keys(key).filter((name) => KEY.includes(name)),
    leadingKeys: [String(key.PK)],
    ...(input.ReturnValues === undefined ? {} : { returnValues: String(input.ReturnValues) }),
  };
}

/** The requests IAM authorizes for one document-client command (by its name and input). */
export function requestsOf(command: string, input: Item): TableRequest[] {
  const names = (input.ExpressionAttributeNames ?? {}) as Record<string, string>;
  switch (command.replace(/Command$/, '')) {
    case 'Get':
    case 'GetItem':
      return [
        single('dynamodb:GetItem', input, { expressions: [input.ProjectionExpression as string] }),
      ];
    case 'Put':
    case 'PutItem':
      return [
        single('dynamodb:PutItem', input, {
          item: input.Item as Item,
          expressions: [input.ConditionExpression as string],
        }),
      ];
    case 'Update':
    case 'UpdateItem':
      return [
        single('dynamodb:UpdateItem', input, {
          expressions: [input.UpdateExpression as string, input.ConditionExpression as string],
        }),
      ];
    case 'Delete':
    case 'DeleteItem':
      return [
        single('dynamodb:DeleteItem', input, {
          expressions: [input.ConditionExpression as string],
        }),
      ];
    case 'BatchGet':
    case 'BatchGetItem':
      return Object.values(input.RequestItems as Record<string, Item>).map((request) => {
        const keys = request.Keys as Item[];
        const requestNames = (request.ExpressionAttributeNames ?? {}) as Record<string, string>;
        return {
          action: 'dynamodb:BatchGetItem',
          resource: 'table',
          attributes: expressionAttributes(request.ProjectionExpression as string, requestNames),
          keyAttributes: KEY,
          leadingKeys: keys.map((key) => String(key.PK)),
        };
      });
    case 'Query': {
      const values = (input.ExpressionAttributeValues ?? {}) as Item;
      const keyCondition = String(input.KeyConditionExpression);
      const partition = /^\s*([#\w]+)\s*=\s*(:\w+)/.exec(keyCondition);
      return [
        {
          action: 'dynamodb:Query',
          resource: input.IndexName ? `index/${String(input.IndexName)}` : 'table',
          attributes: [
            ...expressionAttributes(keyCondition, names),
            ...expressionAttributes(input.FilterExpression as string, names),
            ...expressionAttributes(input.ProjectionExpression as string, names),
          ],
          keyAttributes: [],
          leadingKeys: partition ? [String(values[partition[2] ?? ''])] : [],
          ...(input.Select === undefined ? {} : { select: String(input.Select) }),
        },
      ];
    }
    case 'TransactWrite':
    case 'TransactWriteItems':
      return (input.TransactItems as Item[]).flatMap((action) => {
        const [kind, inner] = Object.entries(action)[0] as [string, Item];
        const as = {
          Put: 'PutItem',
          Update: 'UpdateItem',
          Delete: 'DeleteItem',
          ConditionCheck: 'ConditionCheckItem',
        }[kind];
        if (!as) throw new Error(`unknown transaction action ${kind}`);
        if (as === 'ConditionCheckItem') {
          return [
            single('dynamodb:ConditionCheckItem', inner, {
              expressions: [inner.ConditionExpression as string],
            }),
          ];
        }
        return requestsOf(as, inner);
      });
    default:
      throw new Error(`the evaluator does not know ${command}`);
  }
}

/** 'table', 'index/<name>' or 'stream' for a statement's resource as the template writes it. */
function resourcesOf(statement: PolicyStatement): string[] {
  const list = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
  return list.map((resource) => {
    const text = JSON.stringify(resource);
    const index = /\/index\/([\w-]+)/.exec(text);
    if (index) return `index/${index[1]}`;
    if (/"Fn::GetAtt":\["DataTable\w+","Arn"\]/.test(text)) return 'table';
    if (/"StreamArn"/.test(text)) return 'stream';
    return text;
  });
}

const like = (pattern: string, value: string) =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  ).test(value);

const asList = (value: unknown): string[] =>
  Array.isArray(value) ? value.map(String) : [String(value)];

function conditionHolds(
  operator: string,
  key: string,
  expected: unknown,
  request: TableRequest,
): boolean {
  const wanted = asList(expected);
  const named = [...request.keyAttributes, ...request.attributes];
  switch (`${operator} ${key}`) {
    case 'ForAllValues:StringEquals dynamodb:Attributes':
      return named.every((name) => wanted.includes(name));
    case 'ForAllValues:StringLike dynamodb:LeadingKeys':
      return request.leadingKeys.every((value) => wanted.some((pattern) => like(pattern, value)));
    case 'Null dynamodb:Attributes':
      // 'false': the key must be present; only non-key attributes are counted, to be safe.
      return wanted[0] === 'false'
        ? request.attributes.length > 0
        : request.attributes.length === 0;
    case 'StringEqualsIfExists dynamodb:ReturnValues':
      return request.returnValues === undefined || wanted.includes(request.returnValues);
    case 'StringEqualsIfExists dynamodb:Select':
      return request.select === undefined || wanted.includes(request.select);
    default:
      throw new Error(`the evaluator does not know the condition ${operator} ${key}`);
  }
}

/** Whether any Allow statement permits the request (none of Talkback's policies has a Deny). */
export function allows(statements: readonly PolicyStatement[], request: TableRequest): boolean {
  if (statements.some((statement) => statement.Effect !== 'Allow')) {
    throw new Error('the evaluator does not handle Deny statements');
  }
  return statements.some(
    (statement) =>
      asList(statement.Action).includes(request.action) &&
      resourcesOf(statement).includes(request.resource) &&
      Object.entries(statement.Condition ?? {}).every(([operator, keys]) =>
        Object.entries(keys).every(([key, expected]) =>
          conditionHolds(operator, key, expected, request),
        ),
      ),
  );
}
