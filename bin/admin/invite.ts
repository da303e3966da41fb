/**
 * `npm run admin -- invite <email>`: creates a moderator in the stack's Cognito user pool with
 * AdminCreateUser, under the operator's AWS credentials (the SDK's default chain), and Cognito
 * mails them a temporary password for the moderation console.
 */
import {
  AdminCreateUserCommand,
  type AdminCreateUserCommandInput,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';

/** A user pool id names its region: `eu-west-1_AbCdEf123`. */
export function regionOfPool(userPoolId: string): string {
  const match = /^([a-z]{2}(?:-[a-z]+)+-\d)_[A-Za-z0-9]+$/.exec(userPoolId);
  if (!match?.[1]) throw new Error(`${userPoolId} is not a Cognito user pool id`);
  return match[1];
}

export function invitation(userPoolId: string, email: string): AdminCreateUserCommandInput {
  return {
    UserPoolId: userPoolId,
    Username: email,
    // The address is the sign-in name and where the temporary password goes; an operator
    // invites people they know, so it is marked verified.
    UserAttributes: [
      { Name: 'email', Value: email },
      { Name: 'email_verified', Value: 'true' },
    ],
    DesiredDeliveryMediums: ['EMAIL'],
  };
}

/** Throws Cognito's own error (UsernameExistsException, ...) when it refuses. */
export async function inviteModerator(userPoolId: string, email: string): Promise<void> {
  const client = new CognitoIdentityProviderClient({ region: regionOfPool(userPoolId) });
  try {
    await client.send(new AdminCreateUserCommand(invitation(userPoolId, email)));
  } finally {
    client.destroy();
  }
}
