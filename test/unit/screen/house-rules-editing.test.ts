import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { cachedRules } from '../../../lambda/domain/rules-cache';
import { parseSettings } from '../../../lambda/domain/settings';
import {
  createGetRulesHandler,
  createPutRulesHandler,
} from '../../../lambda/screen/house-rules-routes';
import { HouseRulesRepository } from '../../../lambda/store/house-rules-repository';
import { httpEvent } from '../../support/events';
import { FakeClock, MemoryRules, NOW } from '../fakes';
import { conditionalCheckFailed, throttling } from '../store/sdk-errors';

const settings = parseSettings({
  rules: { hold: ['idiot'], block: [] },
  emailDomains: { disposable: 'hold', hold: ['hold.example'], block: [] },
});

function routes(store = new MemoryRules()) {
  const rules = { store, settings, clock: () => NOW };
  return { store, get: createGetRulesHandler({ rules }), put: createPutRulesHandler({ rules }) };
}

const change = (overrides: Record<string, unknown> = {}) => ({
  hold: ['idiot', 'fool'],
  block: ['cheap pills'],
  emailDomains: { disposable: 'refuse', hold: ['Hold.Example'], block: [] },
  version: 0,
  ...overrides,
});

const parsed = (result: { body?: string }) => JSON.parse(result.body ?? '{}');

describe('GET and PUT /admin/house-rules', () => {
  it('answers the deployment’s starting lists at version 0 before any change', async () => {
    const { get } = routes();
    const result = await get(httpEvent('GET', '/admin/house-rules', { operator: true }));
    expect(result.statusCode).toBe(200);
    expect(parsed(result)).toEqual({
      hold: ['idiot'],
      block: [],
      emailDomains: { disposable: 'hold', hold: ['hold.example'], block: [] },
      version: 0,
      updatedAt: null,
    });
  });

  it('replaces every list from the version read, and answers the next version', async () => {
    const { get, put } = routes();
    const result = await put(
      httpEvent('PUT', '/admin/house-rules', { operator: true, body: change() }),
    );
    expect(result.statusCode).toBe(200);
    const expected = {
      hold: ['idiot', 'fool'],
      block: ['cheap pills'],
      emailDomains: { disposable: 'refuse', hold: ['hold.example'], block: [] },
      version: 1,
      updatedAt: new Date(NOW).toISOString(),
    };
    expect(parsed(result)).toEqual(expected);
    expect(parsed(await get(httpEvent('GET', '/admin/house-rules', { operator: true })))).toEqual(
      expected,
    );
  });

  it('refuses a change made from an older version with 409, changing nothing', async () => {
    const { store, put } = routes();
    await put(httpEvent('PUT', '/admin/house-rules', { operator: true, body: change() }));
    const stale = await put(
      httpEvent('PUT', '/admin/house-rules', { operator: true, body: change({ hold: [] }) }),
    );
    expect(stale.statusCode).toBe(409);
    expect(stale.headers?.['content-type']).toMatch(/^application\/problem\+json/);
    expect(store.stored?.hold).toEqual(['idiot', 'fool']);
  });

  it('refuses bad lists with 400 naming every bad field, changing nothing', async () => {
    const { store, put } = routes();
    const result = await put(
      httpEvent('PUT', '/admin/house-rules', {
        operator: true,
        body: change({
          hold: ['fine', '!!!', 'x'.repeat(201)],
          emailDomains: { disposable: 'allow', hold: [], block: ['not a domain'] },
          version: -1,
        }),
      }),
    );
    expect(result.statusCode).toBe(400);
    expect(
      parsed(result)
        .errors.map((error: { field: string }) => error.field)
        .sort(),
    ).toEqual(['emailDomains.block.0', 'hold.1', 'hold.2', 'version']);
    expect(store.stored).toBeUndefined();
  });

  it('refuses repeated entries, unknown keys and a missing list with 400 naming each, changing nothing', async () => {
    const { store, put } = routes();
    const result = await put(
      httpEvent('PUT', '/admin/house-rules', {
        operator: true,
        body: {
          hold: ['fool', 'Fool'],
          block: ['spam'],
          emailDomains: { disposable: 'hold', hold: ['a.example', 'A.example'], words: [] },
          colour: 'red',
          version: 0,
        },
      }),
    );
    expect(result.statusCode).toBe(400);
    expect(
      parsed(result)
        .errors.map((error: { field: string }) => error.field)
        .sort(),
    ).toEqual([
      'colour',
      'emailDomains.block',
      'emailDomains.hold.1',
      'emailDomains.words',
      'hold.1',
    ]);
    expect(store.stored).toBeUndefined();
  });

  it('refuses holding disposable addresses where the deployment left their list out', async () => {
    const store = new MemoryRules();
    const rules = { store, settings: parseSettings({}), clock: () => NOW };
    const put = createPutRulesHandler({ rules });
    const result = await put(
      httpEvent('PUT', '/admin/house-rules', { operator: true, body: change() }),
    );
    expect(result.statusCode).toBe(400);
    expect(parsed(result).errors).toEqual([
      { field: 'emailDomains.disposable', message: expect.stringMatching(/deploy/) },
    ]);
    expect(store.stored).toBeUndefined();
    const allowed = await put(
      httpEvent('PUT', '/admin/house-rules', {
        operator: true,
        body: change({ emailDomains: { disposable: 'allow', hold: [], block: [] } }),
      }),
    );
    expect(allowed.statusCode).toBe(200);
  });

  it('refuses a caller who is not an operator with 401', async () => {
    const { get, put } = routes();
    expect((await get(httpEvent('GET', '/admin/house-rules'))).statusCode).toBe(401);
    expect((await put(httpEvent('PUT', '/admin/house-rules', { body: change() }))).statusCode).toBe(
      401,
    );
  });
});

describe('cachedRules', () => {
  it('reads the rules at most once a minute, and compiles them again only when their version changed', async () => {
    const store = new MemoryRules();
    const clock = new FakeClock();
    const rules = cachedRules(store, settings, clock.read);
    const first = await rules();
    expect(first.phrases.find('you idiot')).toEqual([{ action: 'hold', reason: 'rule:idiot' }]);
    expect(first.emailDomains).toEqual({ disposable: 'hold', hold: ['hold.example'], block: [] });
    clock.advance(59_000);
    await rules();
    expect(store.reads).toBe(1);
    clock.advance(2_000);
    expect(await rules()).toBe(first);
    expect(store.reads).toBe(2);
    await store.writeRules(
      { hold: [], block: ['idiot'], emailDomains: { disposable: 'allow', hold: [], block: [] } },
      1,
      'now',
    );
    clock.advance(60_000);
    const changed = await rules();
    expect(changed.version).toBe(1);
    expect(changed.phrases.find('you idiot')).toEqual([{ action: 'block', reason: 'rule:idiot' }]);
  });

  it('keeps the rules it has when a read fails, and throws when it has none', async () => {
    const store = new MemoryRules();
    const clock = new FakeClock();
    store.failNext = true;
    await expect(cachedRules(store, settings, clock.read)()).rejects.toThrow('throttled');
    const rules = cachedRules(store, settings, clock.read);
    const first = await rules();
    clock.advance(61_000);
    store.failNext = true;
    expect(await rules()).toBe(first);
  });
});

describe('HouseRulesRepository', () => {
  const ddb = mockClient(DynamoDBDocumentClient);
  const repository = () =>
    new HouseRulesRepository(
      DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })),
      'talkback-test',
    );
  const key = { PK: 'SCREEN#RULES', SK: 'CURRENT' };
  const rules = {
    hold: ['a'],
    block: ['b'],
    emailDomains: { disposable: 'hold' as const, hold: ['c.example'], block: ['d.example'] },
  };
  beforeEach(() => ddb.reset());

  // Only the rules' attributes, each by a placeholder: `hold` and `block` are reserved words.
  const projection = {
    ProjectionExpression:
      '#hold, #block, #emailHold, #emailBlock, #emailDisposable, #version, #updatedAt',
    ExpressionAttributeNames: {
      '#hold': 'hold',
      '#block': 'block',
      '#emailHold': 'emailHold',
      '#emailBlock': 'emailBlock',
      '#emailDisposable': 'emailDisposable',
      '#version': 'version',
      '#updatedAt': 'updatedAt',
    },
  };

  it('reads the one item’s rules, consistently for operators and not for the screen', async () => {
    ddb.on(GetCommand).resolves({
      Item: {
        ...key,
        hold: ['a'],
        block: ['b'],
        emailHold: ['c.example'],
        emailBlock: ['d.example'],
        emailDisposable: 'hold',
        version: 3,
        updatedAt: 't',
      },
    });
    await expect(repository().readRules(true)).resolves.toEqual({
      ...rules,
      version: 3,
      updatedAt: 't',
    });
    await repository().readRules(false);
    expect(ddb.commandCalls(GetCommand).map((call) => call.args[0].input)).toEqual([
      { TableName: 'talkback-test', Key: key, ConsistentRead: true, ...projection },
      { TableName: 'talkback-test', Key: key, ConsistentRead: false, ...projection },
    ]);
  });

  it('puts the first version only where there is none, and a later one only over the one before', async () => {
    ddb.on(PutCommand).resolvesOnce({}).rejectsOnce(conditionalCheckFailed());
    await expect(repository().writeRules(rules, 1, 'now')).resolves.toBe(true);
    await expect(repository().writeRules(rules, 5, 'now')).resolves.toBe(false);
    const item = {
      ...key,
      entity: 'HouseRules',
      hold: ['a'],
      block: ['b'],
      emailHold: ['c.example'],
      emailBlock: ['d.example'],
      emailDisposable: 'hold',
      updatedAt: 'now',
    };
    expect(ddb.commandCalls(PutCommand).map((call) => call.args[0].input)).toEqual([
      {
        TableName: 'talkback-test',
        Item: { ...item, version: 1 },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
      {
        TableName: 'talkback-test',
        Item: { ...item, version: 5 },
        ConditionExpression: 'version = :previous',
        ExpressionAttributeValues: { ':previous': 4 },
      },
    ]);
  });

  it('lets a throttle through as a busy store (503)', async () => {
    ddb.on(GetCommand).rejects(throttling());
    await expect(repository().readRules(true)).rejects.toMatchObject({ name: 'ServiceBusyError' });
  });
});
