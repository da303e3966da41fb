/** The moderators' sign-in for the console: user pool, client, identity pool and role. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { matchRoute, ROUTES } from '../../lambda/routes';
import { CONSOLE_ROUTE_IDS } from '../../lib/talkback-moderators';
import { buildStack } from './synth';

/** Without bundling, as every stack test (test/stack/synth.ts): it bundled all 30 functions twice. */
function synth(context: Record<string, string> = {}): Template {
  return buildStack(context).template;
}

describe('TalkbackModerators', () => {
  const template = synth();

  it('has a user pool without self sign-up, signing in by email, with TOTP required', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: Match.objectLike({ AllowAdminCreateUserOnly: true }),
      UsernameAttributes: ['email'],
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 12 }) },
    });
  });

  it('makes TOTP optional when the context says so', () => {
    synth({ moderatorMfa: 'optional' }).hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'OPTIONAL',
    });
  });

  it('has a secretless console client that signs in with USER_PASSWORD_AUTH', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      ExplicitAuthFlows: Match.arrayWith(['ALLOW_USER_PASSWORD_AUTH']),
      PreventUserExistenceErrors: 'ENABLED',
    });
  });

  it('has an identity pool for signed-in moderators only', () => {
    template.hasResourceProperties('AWS::Cognito::IdentityPool', {
      AllowUnauthenticatedIdentities: false,
    });
    template.resourceCountIs('AWS::Cognito::IdentityPoolRoleAttachment', 1);
  });

  it('gives the moderators’ role execute-api:Invoke on the /admin/ routes and nothing else', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({
        Statement: [
          Match.objectLike({
            Action: 'sts:AssumeRoleWithWebIdentity',
            Principal: { Federated: 'cognito-identity.amazonaws.com' },
            Condition: Match.objectLike({
              'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' },
            }),
          }),
        ],
      }),
    });
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((policy) =>
      JSON.stringify(policy).includes('ModeratorRole'),
    );
    expect(policies).toHaveLength(1);
    const statements = (
      policies[0] as { Properties: { PolicyDocument: { Statement: Record<string, unknown>[] } } }
    ).Properties.PolicyDocument.Statement;
    expect(statements).toHaveLength(1);
    expect(statements[0]?.Action).toBe('execute-api:Invoke');
    // Each resource ends in /$default/<METHOD>/<path>: exactly the console's routes.
    const resources = [statements[0]?.Resource].flat().map((resource) => {
      const text = JSON.stringify(resource);
      return text.slice(text.indexOf('/$default/') + '/$default/'.length).replace(/"\]\]\}$/, '');
    });
    const consoleRoutes = ROUTES.filter((route) =>
      (CONSOLE_ROUTE_IDS as readonly string[]).includes(route.id),
    );
    expect(resources.sort()).toEqual(
      consoleRoutes.map((route) => `${route.method}${route.path.replace(/\{\w+\}/g, '*')}`).sort(),
    );
    // Bulk import is the CLI's, never the console's.
    expect(
      resources.filter((resource) => resource.includes('imports') || resource.startsWith('*')),
    ).toEqual([]);
  });

  it('lists every operators’ route the console calls', () => {
    const source = readFileSync(join(__dirname, '../../web/console/console.ts'), 'utf8');
    const calls = [...source.matchAll(/call\(\s*'([A-Z]+)',\s*[`']([^`']*)/g)].map(
      ([, method = '', template = '']) => {
        const path = template
          .replace(/\$\{query\([\s\S]*$/, '')
          .replace(/\$\{[^}]*\}/g, 'x')
          .split('?')[0];
        const match = matchRoute(method, path ?? '');
        return [method, path, match.kind === 'route' ? match.route.id : match.kind];
      },
    );
    expect(calls.length).toBeGreaterThan(5);
    const ids: readonly string[] = CONSOLE_ROUTE_IDS;
    expect(calls.filter(([, , id]) => !ids.includes(id ?? ''))).toEqual([]);
  });

  it('turns OAuth off on the console’s app client: no flows, no scopes, no callback', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      AllowedOAuthFlowsUserPoolClient: false,
      AllowedOAuthFlows: Match.absent(),
      AllowedOAuthScopes: Match.absent(),
      CallbackURLs: Match.absent(),
      LogoutURLs: Match.absent(),
    });
  });
});
