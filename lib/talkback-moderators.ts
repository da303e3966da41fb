import {
  type CfnElement,
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  Validations,
} from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AccountRecovery,
  CfnIdentityPool,
  CfnIdentityPoolRoleAttachment,
  Mfa,
  UserPool,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import { FederatedPrincipal, PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ROUTES } from '../lambda/routes';

/**
 * The operators' routes the console calls (web/console/console.ts), and the moderators' role may
 * invoke these alone: bulk import (POST /admin/imports) stays the CLI's, with an operator's IAM.
 */
export const CONSOLE_ROUTE_IDS = [
  'AdminListComments',
  'AdminQueueCounts',
  'AdminModerateComment',
  'AdminDeleteComment',
  'AdminPinComment',
  'AdminUnpinComment',
  // Editor's Picks: moderators feature from the console (its buttons are to come; the CLI has them).
  'AdminFeatureComment',
  'AdminUnfeatureComment',
  'AdminGetArticle',
  'AdminChangeArticle',
  'AdminReply',
  'AdminErasureCount',
  'AdminErase',
  'AdminGetHouseRules',
  'AdminPutHouseRules',
  // A commenter's record, opened from an author's name (web/console/commenter.ts).
  'AdminGetCommenter',
  'AdminChangeCommenter',
] as const;

export interface TalkbackModeratorsProps {
  api: HttpApi;
  /** TOTP as a second factor: required (default) or optional, by context `moderatorMfa`. */
  mfa: 'required' | 'optional';
  destroyOnRemoval: boolean;
}

/**
 * Who may use the moderation console on AWS: a Cognito user pool of moderators (invited by an
 * operator, no self sign-up, TOTP on by default) and an identity pool that gives a signed-in
 * moderator temporary credentials of a role allowed execute-api:Invoke on the console's own
 * /admin/ routes (CONSOLE_ROUTE_IDS) and nothing else. The console signs its requests with those (SigV4), so the API keeps IAM as
 * its one authorisation model for the CLI and the console.
 */
export class TalkbackModerators extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly identityPool: CfnIdentityPool;
  readonly role: Role;
  /** The sign-in half of the console's config.json on AWS (TalkbackEdge adds where the API is). */
  readonly consoleConfig: Record<string, string>;
  /**
   * Where the console page may send requests besides its own origin (where it reaches this API,
   * through the CDN): Cognito's two endpoints.
   */
  readonly connectSources: string[];

  constructor(scope: Construct, id: string, props: TalkbackModeratorsProps) {
    super(scope, id);
    const { region } = Stack.of(this);
    this.userPool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      mfa: props.mfa === 'required' ? Mfa.REQUIRED : Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireDigits: true,
        requireLowercase: true,
        requireUppercase: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      userInvitation: {
        emailSubject: 'Your Talkback moderation console account',
        emailBody:
          'You can now moderate comments. Sign in with {username} and the temporary password {####}, then choose your own.',
      },
      removalPolicy: props.destroyOnRemoval ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    });
    for (const rule of ['AwsSolutions-COG3', 'AwsSolutions-COG8']) {
      Validations.of(this.userPool).acknowledge({
        id: rule,
        reason:
          'Threat protection needs the paid Plus feature plan; moderators are a handful of invited ' +
          'staff, with a strong password policy and TOTP required by default.',
      });
    }
    if (props.mfa === 'optional') {
      Validations.of(this.userPool).acknowledge({
        id: 'AwsSolutions-COG2',
        reason:
          'The deployer chose optional MFA (context moderatorMfa=optional); TOTP stays offered.',
      });
    }
    this.client = this.userPool.addClient('ConsoleClient', {
      // The console signs in over Cognito's JSON API (web/console/cognito.ts): no secret in a page.
      authFlows: { userPassword: true },
      generateSecret: false,
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(8),
      // No hosted UI: CDK's OAuth defaults (implicit grant, every scope, a placeholder
      // callback URL) would let a page anywhere ask for moderators' tokens.
      disableOAuth: true,
    });

    this.identityPool = new CfnIdentityPool(this, 'IdentityPool', {
      allowUnauthenticatedIdentities: false,
      cognitoIdentityProviders: [
        {
          clientId: this.client.userPoolClientId,
          providerName: this.userPool.userPoolProviderName,
        },
      ],
    });
    this.role = new Role(this, 'ModeratorRole', {
      description: 'Talkback moderators signed in to the console: invoke its /admin/ routes only',
      assumedBy: new FederatedPrincipal(
        'cognito-identity.amazonaws.com',
        {
          StringEquals: { 'cognito-identity.amazonaws.com:aud': this.identityPool.ref },
          'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' },
        },
        'sts:AssumeRoleWithWebIdentity',
      ),
      maxSessionDuration: Duration.hours(1),
    });
    // Each console route by its method and path, a path parameter as `*`.
    const consoleRoutes = ROUTES.filter((route) =>
      (CONSOLE_ROUTE_IDS as readonly string[]).includes(route.id),
    ).map((route) => ({ method: route.method, path: route.path.replace(/\{\w+\}/g, '*') }));
    this.role.addToPolicy(
      new PolicyStatement({
        actions: ['execute-api:Invoke'],
        resources: consoleRoutes.map(({ method, path }) =>
          props.api.arnForExecuteApi(method, path, '$default'),
        ),
      }),
    );
    const apiLogicalId = Stack.of(this).getLogicalId(props.api.node.defaultChild as CfnElement);
    for (const { method, path } of consoleRoutes.filter((route) => route.path.includes('*'))) {
      Validations.of(this.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<${apiLogicalId}>/$default/${method}${path}]`,
        reason:
          'The wildcard is the path parameter (a comment or article id) of one console route, ' +
          'with its one method, on this API and stage.',
      });
    }
    new CfnIdentityPoolRoleAttachment(this, 'Roles', {
      identityPoolId: this.identityPool.ref,
      roles: { authenticated: this.role.roleArn },
    });

    this.consoleConfig = {
      auth: 'cognito',
      region,
      userPoolId: this.userPool.userPoolId,
      clientId: this.client.userPoolClientId,
      identityPoolId: this.identityPool.ref,
    };
    this.connectSources = [
      `https://cognito-idp.${region}.amazonaws.com`,
      `https://cognito-identity.${region}.amazonaws.com`,
    ];
    new CfnOutput(this, 'UserPoolId', {
      value: this.userPool.userPoolId,
      description: 'Moderators: npm run admin -- invite <email> --user-pool-id <this>',
    });
  }
}
