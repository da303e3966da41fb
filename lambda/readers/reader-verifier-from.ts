/**
 * The reader verifier a function gets, from its configuration: HS256 secrets and issuers' key
 * sets over the deployment's issuers (jwt-tokens.ts), each HS256 secret given as `secretArn` read
 * from Secrets Manager when a token of that issuer first comes (only the functions that verify
 * readers may read it: lib/), and the instance's memory of verified tokens. Nothing is fetched
 * for a deployment without issuers, nor for a request without a token.
 *
 * The `readers` area's builder, named only by the handlers that take a `reader` (runtime.ts
 * loadHandlerDeps): in a module of its own so that jose stays out of every other bundle.
 */

import type { Foundation } from '../areas';
import { type Reader, readerVerifier } from '../domain/readers';
import { secretsManagerSource } from '../secrets/secrets-manager';
import { jwtReaderTokens } from './jwt-tokens';
import { VerifiedReaderCache } from './verified-readers';

/** What the create path gets: a verifier, or none where the deployment trusts no issuer. */
export interface ReaderArea {
  verifyReader?: (token: string) => Promise<Reader>;
}

export function readerVerifierFrom(
  base: Pick<Foundation, 'settings' | 'schemas' | 'clock'>,
): ((token: string) => Promise<Reader>) | undefined {
  const { readers } = base.settings;
  if (readers.issuers.length === 0) return undefined;
  return readerVerifier({
    tokens: jwtReaderTokens(readers, {
      clock: base.clock,
      secretSource: (arn) => secretsManagerSource(arn),
    }),
    readers,
    schemas: base.schemas,
    verified: new VerifiedReaderCache(base.clock),
  });
}

export const readersFrom = (base: Foundation): ReaderArea => {
  const verifyReader = readerVerifierFrom(base);
  return verifyReader === undefined ? {} : { verifyReader };
};
