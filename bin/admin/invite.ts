/**
 * `npm run admin -- invite <email>`: creates a moderator in the stack's Cognito user pool
 * (AdminCreateUser), and Cognito mails them a temporary password. The request is Cognito's JSON
 * API signed with SigV4 under the operator's AWS credentials, the same way the CLI signs its
 * execute-api calls, so no Cognito SDK client is needed.
 */
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

/** A user pool id names its region: `eu-west-1_AbCdEf123`. */
export function regionOfPool(userPoolId: string): string {
  const match = /^([a-z]{2}(?:-[a-z]+)+-\d)_[A-Za-z0-9]+$/.exec(userPoolId);
  if (!match?.[1]) throw new Error(`${userPoolId} is not a Cognito user pool id`);
  return match[1];
}

export async function prepareInvite(
  userPoolId: string,
  email: string,
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider,
): Promise<{ url: string; init: RequestInit & { headers: Record<string, string> } }> {
  const region = regionOfPool(userPoolId);
  const hostname = `cognito-idp.${region}.amazonaws.com`;
  const body = JSON.stringify({
    UserPoolId: userPoolId,
    Username: email,
    // The address is the sign-in name and where the temporary password goes; an operator
    // invites people they know, so it is marked verified.
    UserAttributes: [
      { Name: 'email', Value: email },
      { Name: 'email_verified', Value: 'true' },
    ],
    DesiredDeliveryMediums: ['EMAIL'],
  });
  const signer = new SignatureV4({
    service: 'cognito-idp',
    region,
    credentials,
    sha256: Hash.bind(null, 'sha256'),
  });
  const signed = await signer.sign({
    method: 'POST',
    protocol: 'https:',
    hostname,
    path: '/',
    headers: {
      host: hostname,
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'AWSCognitoIdentityProviderService.AdminCreateUser',
    },
    body,
  });
  const headers = { ...signed.headers };
  // fetch sets Host itself and refuses to be given one.
  delete headers.host;
  return { url: `https://${hostname}/`, init: { method: 'POST', headers, body } };
}
