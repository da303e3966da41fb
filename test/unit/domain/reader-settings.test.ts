import { parseSettings, SettingsError } from '../../../lambda/domain/settings';

const SECRET = 'a-shared-secret-of-32-characters!!';
const hs = { issuer: 'https://id.example', audience: 'talkback', secret: SECRET };
const jwks = {
  issuer: 'https://keys.example',
  audience: 'talkback',
  jwksUrl: 'https://keys.example/.well-known/jwks.json',
};

describe('parseSettings: readers', () => {
  it('trusts no issuer and lets anyone comment by default', () => {
    expect(parseSettings({}).readers).toEqual({ issuers: [], badges: [], commenting: 'anyone' });
  });

  it('takes issuers of both kinds, badges, a mode and a sign-in page', () => {
    const readers = {
      issuers: [hs, jwks],
      badges: ['subscriber'],
      commenting: 'badge:subscriber',
      signInUrl: 'https://news.example/login',
    };
    expect(parseSettings({ readers }).readers).toEqual(readers);
  });

  it.each([
    [
      { issuers: [{ ...hs, jwksUrl: jwks.jwksUrl }] },
      'needs exactly one of secret, secretArn or jwksUrl',
    ],
    [
      { issuers: [{ issuer: 'x', audience: 'y' }] },
      'needs exactly one of secret, secretArn or jwksUrl',
    ],
    [{ issuers: [{ ...hs, secret: 'short' }] }, 'secret must be at least 32 characters'],
    [
      { issuers: [{ ...jwks, jwksUrl: 'http://keys.example/jwks' }] },
      'jwksUrl must be an https URL',
    ],
    [{ issuers: [hs, hs] }, 'names an issuer twice'],
    [{ issuers: [{ ...hs, algorithm: 'none' }] }, 'unknown readers.issuers[] setting algorithm'],
    [{ issuers: [hs], commenting: 'badge:subscriber' }, 'with a name from readers.badges'],
    [{ issuers: [hs], commenting: 'members' }, 'readers.commenting must be anyone, signed-in'],
    [{ commenting: 'signed-in' }, 'needs at least one issuer'],
    [{ badges: ['Sub scriber'] }, 'readers.badges must be names'],
    [{ signInUrl: 'javascript:alert(1)' }, 'readers.signInUrl must be an http(s) URL'],
    [{ issuer: hs }, 'unknown readers setting issuer'],
    [
      { issuers: [{ ...jwks, jwksUrl: undefined, secretArn: 'my-secret' }] },
      'secretArn must be the ARN of a Secrets Manager secret',
    ],
  ])('refuses %j, naming the fault', (readers, message) => {
    expect(() => parseSettings({ readers })).toThrow(SettingsError);
    expect(() => parseSettings({ readers })).toThrow(message);
  });

  it('takes a JWKS over http from this machine only (development and tests)', () => {
    const local = { ...jwks, jwksUrl: 'http://127.0.0.1:8080/jwks.json' };
    expect(parseSettings({ readers: { issuers: [local] } }).readers.issuers).toEqual([local]);
  });
});
