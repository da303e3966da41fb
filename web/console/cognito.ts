/**
 * Moderator sign-in on AWS: Cognito's JSON API over fetch, with no SDK in the page.
 *
 * USER_PASSWORD_AUTH, not SRP: the password goes to Cognito alone, over TLS, as it would in
 * Cognito's own hosted page; SRP would keep it off the wire but needs big-number arithmetic and
 * several kilobytes of code in the bundle, for no gain against the threat that matters here (a
 * phished or reused password), which the required TOTP second factor answers.
 *
 * Then the identity pool swaps the ID token for temporary IAM credentials of the moderators'
 * role, which may only invoke the /admin/ routes. Nothing is kept but those credentials (in
 * sessionStorage, see session.ts); the ID token is dropped once exchanged.
 */
import type { Fetch, TemporaryCredentials } from './api';

export interface CognitoConfig {
  region: string;
  userPoolId: string;
  clientId: string;
  identityPoolId: string;
}

/** What the moderator must do next, or the credentials once signed in. */
export type SignInStep =
  | { kind: 'new-password'; session: string; username: string }
  | { kind: 'mfa-setup'; session: string; username: string; secret: string }
  | { kind: 'mfa-code'; session: string; username: string }
  | { kind: 'signed-in'; credentials: TemporaryCredentials };

export class SignInError extends Error {
  override name = 'SignInError';
}

type Json = Record<string, unknown>;

export function cognitoClient(config: CognitoConfig, fetcher: Fetch = fetch.bind(globalThis)) {
  async function send(service: 'idp' | 'identity', target: string, body: Json): Promise<Json> {
    const [host, prefix] =
      service === 'idp'
        ? ['cognito-idp', 'AWSCognitoIdentityProviderService']
        : ['cognito-identity', 'AWSCognitoIdentityService'];
    const response = await fetcher(`https://${host}.${config.region}.amazonaws.com/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `${prefix}.${target}`,
      },
      body: JSON.stringify(body),
      credentials: 'omit',
    });
    const payload = (await response.json().catch(() => ({}))) as Json;
    if (!response.ok) {
      // Cognito's own message ("Incorrect username or password.") is written for people.
      throw new SignInError(String(payload.message ?? payload.Message ?? 'Sign-in failed.'));
    }
    return payload;
  }

  async function credentialsFor(idToken: string): Promise<TemporaryCredentials> {
    const logins = {
      [`cognito-idp.${config.region}.amazonaws.com/${config.userPoolId}`]: idToken,
    };
    const { IdentityId } = await send('identity', 'GetId', {
      IdentityPoolId: config.identityPoolId,
      Logins: logins,
    });
    const { Credentials } = (await send('identity', 'GetCredentialsForIdentity', {
      IdentityId,
      Logins: logins,
    })) as { Credentials?: Json };
    if (!Credentials) throw new SignInError('The identity pool gave no credentials.');
    return {
      accessKeyId: String(Credentials.AccessKeyId),
      secretAccessKey: String(Credentials.SecretKey),
      sessionToken: String(Credentials.SessionToken),
      expiresAt: Number(Credentials.Expiration) * 1000,
    };
  }

  /** Turns one Cognito answer into the next step. */
  async function next(answer: Json, username: string): Promise<SignInStep> {
    const result = answer.AuthenticationResult as Json | undefined;
    if (result?.IdToken) {
      return { kind: 'signed-in', credentials: await credentialsFor(String(result.IdToken)) };
    }
    const session = String(answer.Session ?? '');
    switch (answer.ChallengeName) {
      case 'NEW_PASSWORD_REQUIRED':
        return { kind: 'new-password', session, username };
      case 'SOFTWARE_TOKEN_MFA':
        return { kind: 'mfa-code', session, username };
      case 'MFA_SETUP': {
        const setup = await send('idp', 'AssociateSoftwareToken', { Session: session });
        return {
          kind: 'mfa-setup',
          session: String(setup.Session ?? session),
          username,
          secret: String(setup.SecretCode),
        };
      }
      default:
        throw new SignInError(`Unsupported sign-in step ${String(answer.ChallengeName)}.`);
    }
  }

  const respond = (challenge: string, session: string, responses: Json) =>
    send('idp', 'RespondToAuthChallenge', {
      ClientId: config.clientId,
      ChallengeName: challenge,
      Session: session,
      ChallengeResponses: responses,
    });

  return {
    async signIn(username: string, password: string): Promise<SignInStep> {
      const answer = await send('idp', 'InitiateAuth', {
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: config.clientId,
        AuthParameters: { USERNAME: username, PASSWORD: password },
      });
      return next(answer, username);
    },
    async newPassword(step: { session: string; username: string }, password: string) {
      const answer = await respond('NEW_PASSWORD_REQUIRED', step.session, {
        USERNAME: step.username,
        NEW_PASSWORD: password,
      });
      return next(answer, step.username);
    },
    async mfaCode(step: { session: string; username: string }, code: string) {
      const answer = await respond('SOFTWARE_TOKEN_MFA', step.session, {
        USERNAME: step.username,
        SOFTWARE_TOKEN_MFA_CODE: code,
      });
      return next(answer, step.username);
    },
    async mfaSetup(step: { session: string; username: string }, code: string) {
      const verified = await send('idp', 'VerifySoftwareToken', {
        Session: step.session,
        UserCode: code,
        FriendlyDeviceName: 'Talkback console',
      });
      if (verified.Status !== 'SUCCESS') throw new SignInError('That code did not match.');
      const answer = await respond('MFA_SETUP', String(verified.Session ?? step.session), {
        USERNAME: step.username,
      });
      return next(answer, step.username);
    },
  };
}
