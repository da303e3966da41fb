/**
 * Who may read each secret (docs/operations.md, "Keys"): the hashing secret only the functions
 * that hash or page, the link secret only those that sign or check the mail's links, each
 * function only the secrets its purposes need, and the hashing secret to the subscription links'
 * functions only during a legacy-links transition, ending with it by IAM itself.
 */
import { Annotations, Match, type Template } from 'aws-cdk-lib/assertions';
import type { TalkbackStack } from '../../lib/talkback-stack';
import type { PolicyStatement } from './iam-evaluator';
import { allFunctions, buildStack, functionLogicalId, policyStatementsOf } from './synth';

const MAIL_CONTEXT = {
  mailFrom: 'News Site <comments@news.example>',
  siteName: 'News Site',
  articleUrlTemplate: 'https://news.example/{articleId}',
  moderatorEmails: ['moderator@news.example'],
};

/** The functions that hash (stored hashes: visitor, client, email, reader, edit token, mail marker) or page (cursors). */
const HASHING = [
  'GetThread',
  'ListComments',
  'CreateComment',
  'GetReactions',
  'PutReaction',
  'DeleteReaction',
  'EditComment',
  'DeleteComment',
  'AdminListComments',
  'AdminErase',
  'AdminImport',
  'AdminErasureCount',
  // A guest's commenterId and the email's hash, to find a commenter by email.
  'AdminFindCommenter',
  // The once-only markers of the mail it sends.
  'MailSend',
].sort();

/** The functions that sign (the mail's) or check (the pages' and buttons') the mail's links. */
const LINKS = [
  'ConfirmSubscriptionPage',
  'ConfirmSubscription',
  'UnsubscribePage',
  'Unsubscribe',
  'ModerationLinkPage',
  'ModerationLink',
  'MailDispatch',
  'MailSend',
].sort();

/** The functions that check subscription links: the only ones a transition gives the old key. */
const SUBSCRIPTION_LINK_CHECKERS = [
  'ConfirmSubscriptionPage',
  'ConfirmSubscription',
  'UnsubscribePage',
  'Unsubscribe',
].sort();

type Environment = Record<string, unknown>;

function secretIds(template: Template): { hashing: string; links: string } {
  const ids = Object.keys(template.findResources('AWS::SecretsManager::Secret'));
  const hashing = ids.find((id) => id.startsWith('ApiHashSecret'));
  const links = ids.find((id) => id.startsWith('ApiLinkSecret'));
  if (!hashing || !links) throw new Error(`no hashing or link secret among ${ids.join(', ')}`);
  return { hashing, links };
}

const resources = (statement: PolicyStatement): unknown[] => [statement.Resource].flat();

/** The ids of the functions whose role may read the secret, and on what condition. */
function readersOf(
  stack: TalkbackStack,
  template: Template,
  secretId: string,
): Map<string, unknown[]> {
  const readers = new Map<string, unknown[]>();
  for (const id of Object.keys(allFunctions(stack))) {
    for (const statement of policyStatementsOf(template, functionLogicalId(stack, id))) {
      const actions = [statement.Action].flat();
      const reads = actions.some((action) => /^secretsmanager:(GetSecretValue|\*)$/.test(action));
      const onSecret = resources(statement).some(
        (resource) => JSON.stringify(resource) === JSON.stringify({ Ref: secretId }),
      );
      if (reads && onSecret) readers.set(id, [...(readers.get(id) ?? []), statement.Condition]);
    }
  }
  return readers;
}

function environmentOf(stack: TalkbackStack, template: Template, id: string): Environment {
  const fn = template.toJSON().Resources[functionLogicalId(stack, id)] as {
    Properties: { Environment?: { Variables: Environment } };
  };
  return fn.Properties.Environment?.Variables ?? {};
}

describe('the secrets, with mail on', () => {
  let stack: TalkbackStack;
  let template: Template;
  beforeAll(() => {
    ({ stack, template } = buildStack(MAIL_CONTEXT));
  });

  it('are a hashing secret and a link secret, each generated and retained', () => {
    const { hashing, links } = secretIds(template);
    for (const id of [hashing, links]) {
      const secret = template.toJSON().Resources[id];
      expect([id, secret.DeletionPolicy]).toEqual([id, 'Retain']);
      expect(secret.Properties.GenerateSecretString).toMatchObject({ PasswordLength: 64 });
    }
  });

  it('keep the hashing secret as deployed stacks have it: a new logical id or generation would make a new value, orphaning every stored hash', () => {
    const secret = template.toJSON().Resources.ApiHashSecret694704E3;
    expect(secret?.Properties).toEqual({
      Description: 'Talkback: key of the visitorId and edit-token hashes',
      GenerateSecretString: { ExcludePunctuation: true, PasswordLength: 64 },
    });
  });

  it('let exactly the hashing functions read the hashing secret, unconditionally', () => {
    const readers = readersOf(stack, template, secretIds(template).hashing);
    expect([...readers.keys()].sort()).toEqual(HASHING);
    for (const [id, conditions] of readers) expect([id, conditions]).toEqual([id, [undefined]]);
  });

  it('let exactly the link functions read the link secret', () => {
    const readers = readersOf(stack, template, secretIds(template).links);
    expect([...readers.keys()].sort()).toEqual(LINKS);
  });

  it('name each function only the secrets it may read, by ARN', () => {
    const { hashing, links } = secretIds(template);
    for (const id of Object.keys(allFunctions(stack))) {
      const env = environmentOf(stack, template, id);
      expect([id, env.TALKBACK_SECRET_ARN]).toEqual([
        id,
        HASHING.includes(id) ? { Ref: hashing } : undefined,
      ]);
      expect([id, env.TALKBACK_LINK_SECRET_ARN]).toEqual([
        id,
        LINKS.includes(id) ? { Ref: links } : undefined,
      ]);
      expect([id, env.TALKBACK_LEGACY_LINK_SECRET_ARN]).toEqual([id, undefined]);
    }
  });
});

describe('the secrets during a legacy-links transition', () => {
  const until = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  let stack: TalkbackStack;
  let template: Template;
  beforeAll(() => {
    ({ stack, template } = buildStack({ ...MAIL_CONTEXT, legacyLinksUntil: until }));
  });

  it('let the subscription links functions also read the hashing secret, until the end only', () => {
    const readers = readersOf(stack, template, secretIds(template).hashing);
    expect([...readers.keys()].sort()).toEqual(
      [...new Set([...HASHING, ...SUBSCRIPTION_LINK_CHECKERS])].sort(),
    );
    for (const id of SUBSCRIPTION_LINK_CHECKERS) {
      expect([id, readers.get(id)]).toEqual([
        id,
        [{ DateLessThan: { 'aws:CurrentTime': `${until}T00:00:00Z` } }],
      ]);
    }
  });

  it('tell those functions the old secret by ARN and the end of the transition', () => {
    const { hashing } = secretIds(template);
    for (const id of Object.keys(allFunctions(stack))) {
      const env = environmentOf(stack, template, id);
      const checks = SUBSCRIPTION_LINK_CHECKERS.includes(id);
      expect([id, env.TALKBACK_LEGACY_LINK_SECRET_ARN, env.TALKBACK_LEGACY_LINKS_UNTIL]).toEqual(
        checks ? [id, { Ref: hashing }, `${until}T00:00:00Z`] : [id, undefined, undefined],
      );
      // Not the hashing purposes' variable: they do not hash.
      if (checks) expect([id, env.TALKBACK_SECRET_ARN]).toEqual([id, undefined]);
    }
  });
});

describe('the legacyLinksUntil context key', () => {
  const daysFromNow = (days: number) =>
    new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

  it.each([
    ['not a date', 'soon', /"legacyLinksUntil": must be a date/],
    ['not a real day', '2027-02-30', /"legacyLinksUntil": must be a date/],
    ['a time', `${daysFromNow(10)}T12:00:00Z`, /"legacyLinksUntil": must be a date/],
    ['over a year ahead', daysFromNow(400), /"legacyLinksUntil": at most 366 days ahead/],
  ])('is refused when %s', (_case, value, message) => {
    expect(() => buildStack({ legacyLinksUntil: value })).toThrow(message);
  });

  it('is warned about once its day has passed', () => {
    const { stack } = buildStack({ legacyLinksUntil: '2020-01-01' });
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.anyValue());
    expect(warnings.map((warning) => String(warning.entry.data))).toEqual(
      expect.arrayContaining([
        expect.stringContaining('"legacyLinksUntil": 2020-01-01 has passed'),
      ]),
    );
  });
});
