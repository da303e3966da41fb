/**
 * The reader verifier a function gets, from its configuration: jose over the deployment's
 * issuers, with each HS256 secret given as `secretArn` read from Secrets Manager when a token of
 * that issuer first comes (only the functions that verify readers may read it: lib/). Nothing is
 * fetched for a deployment without issuers, nor for a request without a token.
 */

import type { Foundation } from '../areas';
import { type Reader, readerVerifier } from '../domain/readers';
import { secretsManagerSource } from '../secrets/secrets-manager';
import { jwtReaderTokens } from './jwt-tokens';

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
  });
}
