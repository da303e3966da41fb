/**
 * The ReaderTokens adapter: picks the configured issuer a token names, then verifies its
 * signature with only that issuer's algorithms, and its `iss`, `aud`, `exp`, `nbf` and `iat`:
 * HS256 for a shared secret (hs256.ts); RS256, ES256 or EdDSA for a JWKS, whose keys jose
 * fetches and picks (key-sets.ts); every signature with node:crypto. Fixing the algorithms per issuer is what stops `alg: none` and algorithm
 * confusion (an RS256 public key used as an HS256 secret): a token whose header names another
 * algorithm is refused before any key is looked at.
 */
import type { KeyObject } from 'node:crypto';
import type { Clock } from '../domain/ids';
import { createDeferredSecret, type SecretSource } from '../domain/keyed-hash';
import type { ReaderIssuer, ReaderSettings } from '../domain/reader-settings';
import { ReaderTokenError, type ReaderTokens } from '../domain/readers';
import {
  CLOCK_TOLERANCE_SECONDS,
  type CompactToken,
  checkClaims,
  checkHs256Signature,
  decodeCompact,
  hs256Key,
} from './hs256';
import { keySetVerifier } from './key-sets';

type KeySetVerify = (token: CompactToken) => Promise<Record<string, unknown>>;

/** How an issuer's tokens are checked: with its shared secret, or against its key set. */
type IssuerCheck =
  | { kind: 'secret'; key: () => KeyObject | Promise<KeyObject> }
  | { kind: 'key-set'; verify: KeySetVerify };

export interface JwtTokenOptions {
  clock: Clock;
  /** Where an issuer's `secretArn` is read (Secrets Manager on AWS); asked once per instance. */
  secretSource?: (arn: string) => SecretSource;
}

function checkFor(entry: ReaderIssuer, options: JwtTokenOptions): IssuerCheck {
  const { jwksUrl } = entry;
  if (jwksUrl !== undefined) {
    // The bundler defines this as `none` where no issuer of the deployment has a key set
    // (lib/talkback-api.ts), and then leaves jose out of the bundle.
    if (process.env.TALKBACK_KEY_SET_BUNDLE !== 'none') {
      // Imported statically: a dynamic import() makes esbuild wrap every module it bundles in a
      // lazy initialiser, which keeps other areas' repositories in every function's bundle
      // (test/integration/bundles.test.ts found them in GetConfig's).
      return { kind: 'key-set', verify: keySetVerifier({ ...entry, jwksUrl }, options.clock) };
    }
    throw new Error(
      `Talkback configuration: issuer ${entry.issuer} has a key set but this bundle cannot verify one`,
    );
  }
  if (entry.secret !== undefined) {
    const key = hs256Key(entry.secret);
    return { kind: 'secret', key: () => key };
  }
  const arn = entry.secretArn as string;
  if (options.secretSource === undefined) {
    throw new Error(`Talkback configuration: reader issuer ${entry.issuer} has no secret source`);
  }
  const secret = createDeferredSecret(options.secretSource(arn), 'a reader issuer secret');
  let key: KeyObject | undefined;
  return {
    kind: 'secret',
    key: async () => {
      await secret.ready();
      key ??= hs256Key(secret.value());
      return key;
    },
  };
}

export function jwtReaderTokens(readers: ReaderSettings, options: JwtTokenOptions): ReaderTokens {
  const issuers = new Map(
    readers.issuers.map((entry) => [entry.issuer, { entry, check: checkFor(entry, options) }]),
  );
  return {
    async verify(token) {
      const compact = decodeCompact(token);
      const { iss } = compact.payload;
      const issuer = typeof iss === 'string' ? issuers.get(iss) : undefined;
      if (issuer === undefined) throw new ReaderTokenError('is not from a trusted issuer');
      const { entry, check } = issuer;
      if (check.kind === 'key-set') return check.verify(compact);
      checkHs256Signature(compact, await check.key());
      checkClaims(compact.payload, {
        issuer: entry.issuer,
        audience: entry.audience,
        now: Math.floor(options.clock() / 1000),
        tolerance: CLOCK_TOLERANCE_SECONDS,
      });
      return compact.payload;
    },
  };
}
