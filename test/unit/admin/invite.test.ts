import {
  AdminCreateUserCommand,
  CognitoIdentityProviderClient,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { regionOfPool } from '../../../bin/admin/invite';
import { run } from '../../../bin/talkback-admin';

const cognito = mockClient(CognitoIdentityProviderClient);
const POOL = 'eu-west-1_Pool123';

beforeEach(() => cognito.reset());

async function invite(...argv: string[]) {
  const printed: string[] = [];
  const code = await run(['invite', ...argv], {}, (text) => printed.push(text));
  return { code, printed };
}

describe('npm run admin -- invite', () => {
  it('creates the moderator with AdminCreateUser in the pool’s region, mailing the temporary password', async () => {
    cognito.on(AdminCreateUserCommand).resolves({ User: { Username: 'ed@news.example' } });
    const { code, printed } = await invite('ed@news.example', '--user-pool-id', POOL);
    expect(code).toBe(0);
    expect(cognito).toHaveReceivedCommandTimes(AdminCreateUserCommand, 1);
    expect(cognito.commandCalls(AdminCreateUserCommand)[0]?.args[0].input).toEqual({
      UserPoolId: POOL,
      Username: 'ed@news.example',
      UserAttributes: [
        { Name: 'email', Value: 'ed@news.example' },
        { Name: 'email_verified', Value: 'true' },
      ],
      DesiredDeliveryMediums: ['EMAIL'],
    });
    const client = cognito.call(0).thisValue as CognitoIdentityProviderClient;
    expect(await client.config.region()).toBe('eu-west-1');
    expect(printed).toEqual([
      'Invited ed@news.example: Cognito has mailed a temporary password for the moderation console.',
    ]);
  });

  it('takes the pool from TALKBACK_USER_POOL_ID', async () => {
    cognito.on(AdminCreateUserCommand).resolves({});
    const code = await run(
      ['invite', 'ed@news.example'],
      { TALKBACK_USER_POOL_ID: 'us-east-2_Other9' },
      () => undefined,
    );
    expect(code).toBe(0);
    expect(cognito).toHaveReceivedCommandWith(AdminCreateUserCommand, {
      UserPoolId: 'us-east-2_Other9',
    });
  });

  it('reports Cognito’s refusal and fails', async () => {
    cognito
      .on(AdminCreateUserCommand)
      .rejects(
        new UsernameExistsException({ message: 'User account already exists', $metadata: {} }),
      );
    const { code, printed } = await invite('ed@news.example', '--user-pool-id', POOL);
    expect(code).toBe(1);
    expect(printed).toEqual(['Failed: UsernameExistsException: User account already exists']);
  });

  it('asks for the pool, and calls nothing, when none is given', async () => {
    await expect(invite('ed@news.example')).rejects.toThrow('invite needs the user pool');
    expect(cognito).toHaveReceivedCommandTimes(AdminCreateUserCommand, 0);
  });

  it('refuses something that is not a pool id', () => {
    expect(() => regionOfPool('not-a-pool')).toThrow('not a Cognito user pool id');
  });
});
