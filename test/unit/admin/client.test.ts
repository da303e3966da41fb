/**
 * The CLI's SigV4 signing against a deployed API: the SDK's default credential chain is built on
 * the first signed request only (a local run never loads it), once, and shared by requests
 * signed at the same time (one SSO or MFA prompt, not one per request).
 */
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { defaultSigV4, prepareRequest } from '../../../bin/admin/client';

jest.mock('@aws-sdk/credential-providers', () => ({
  fromNodeProviderChain: jest.fn(() => async () => ({
    accessKeyId: 'AKIDEXAMPLE',
    secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  })),
}));

const API = 'https://abc123.execute-api.eu-west-1.amazonaws.com/';

describe('defaultSigV4', () => {
  it('builds the credential chain once, on the first signed request, for requests signed at once', async () => {
    const auth = defaultSigV4(API, {});
    expect(auth).toMatchObject({ kind: 'sigv4', region: 'eu-west-1' });
    expect(fromNodeProviderChain).not.toHaveBeenCalled();
    const signed = await Promise.all([
      prepareRequest(API, auth, 'GET', '/admin/comments'),
      prepareRequest(API, auth, 'GET', '/admin/queue-counts'),
    ]);
    await prepareRequest(API, auth, 'GET', '/admin/comments');
    expect(fromNodeProviderChain).toHaveBeenCalledTimes(1);
    for (const { init } of signed) {
      expect((init.headers as Record<string, string>).authorization).toMatch(
        /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/execute-api\/aws4_request, /,
      );
    }
  });
});
