import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { SETTINGS_ENV } from '../../lambda/env';
import { allFunctions, buildStack, functionLogicalId, policyStatementsOf } from './synth';

const SECRET_ARN =
  'arn:aws:secretsmanager:eu-west-1:123456789012:secret:talkback/reader-news-AbCdEf';
const readers = {
  issuers: [
    { issuer: 'https://news.example', audience: 'talkback', secretArn: SECRET_ARN },
    {
      issuer: 'https://login.news.example',
      audience: 'talkback',
      jwksUrl: 'https://login.news.example/.well-known/jwks.json',
    },
  ],
  badges: ['subscriber'],
  commenting: 'badge:subscriber',
  signInUrl: 'https://news.example/login',
};

describe('readers who sign in, on AWS', () => {
  const { stack, template } = buildStack({ readers: JSON.stringify(readers) });

  it('takes readers as a setting of its own, with no warning', () => {
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.anyValue());
    expect(warnings.map((warning) => String(warning.entry.data))).toEqual([]);
  });

  it('gives every function the readers settings, with the secret’s ARN and no secret', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'Talkback CreateComment',
      Environment: {
        Variables: Match.objectLike({
          [SETTINGS_ENV]: Match.stringLikeRegexp('"secretArn":"arn:aws:secretsmanager:'),
        }),
      },
    });
  });

  it('lets only the functions that verify readers read the issuers’ secrets', () => {
    const readersOf: string[] = [];
    for (const id of Object.keys(allFunctions(stack))) {
      const statements = policyStatementsOf(template, functionLogicalId(stack, id)).filter(
        (statement) => JSON.stringify(statement.Resource).includes(SECRET_ARN),
      );
      if (statements.length === 0) continue;
      readersOf.push(id);
      expect(statements).toEqual([
        { Action: 'secretsmanager:GetSecretValue', Effect: 'Allow', Resource: SECRET_ARN },
      ]);
    }
    // A signed-in reader's like or report is theirs, not the browser's (verifiesReaders).
    expect(readersOf).toEqual(['CreateComment', 'PutLike', 'DeleteLike', 'PostReport']);
  });

  it('refuses a shared secret given in context, naming the key', () => {
    const inContext = {
      issuers: [{ issuer: 'https://news.example', audience: 'talkback', secret: 'x'.repeat(40) }],
    };
    expect(() => buildStack({ readers: JSON.stringify(inContext) })).toThrow(
      /Talkback context "readers": issuer "https:\/\/news.example" gives its secret in context/,
    );
  });

  it('refuses a bad readers value, naming the key', () => {
    expect(() => buildStack({ readers: '{"commenting":"members"}' })).toThrow(
      /Talkback context "readers": readers.commenting must be anyone, signed-in/,
    );
  });
});
