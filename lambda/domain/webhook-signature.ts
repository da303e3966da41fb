/**
 * The signature on every request Talkback makes to a site's endpoint (the moderation hook and the
 * outgoing webhooks; docs/screening.md, "Verifying a signature"): the header
 * `Talkback-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`, keyed with the
 * endpoint's shared secret. The time is signed with the body, so a receiver that refuses a `t`
 * more than five minutes from its own clock refuses a replayed request.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'Talkback-Signature';
/** How far a signature's time may be from the receiver's clock: five minutes, either way. */
export const REPLAY_WINDOW_SECONDS = 300;

const hmac = (secret: string, signedAt: number, body: string): string =>
  createHmac('sha256', secret).update(`${signedAt}.${body}`, 'utf8').digest('hex');

/** The header's value for this body, signed now (`nowMs`). */
export function signatureHeader(secret: string, body: string, nowMs: number): string {
  const signedAt = Math.floor(nowMs / 1000);
  return `t=${signedAt},v1=${hmac(secret, signedAt, body)}`;
}

/**
 * Whether a header signs this body with this secret, at a time within the replay window of
 * `nowMs`. Several `v1` values are accepted (one of them must match), so a receiver can check a
 * header signed while a secret was being changed.
 */
export function verifySignature(
  header: string | undefined,
  body: string,
  secret: string,
  nowMs: number,
  windowSeconds = REPLAY_WINDOW_SECONDS,
): boolean {
  if (header === undefined) return false;
  const parts = header.split(',').map((part) => part.trim().split('='));
  const signedAt = Number(parts.find(([key]) => key === 't')?.[1]);
  if (!Number.isSafeInteger(signedAt)) return false;
  if (Math.abs(nowMs / 1000 - signedAt) > windowSeconds) return false;
  const expected = Buffer.from(hmac(secret, signedAt, body), 'utf8');
  return parts.some(([key, value]) => {
    if (key !== 'v1' || value === undefined) return false;
    const given = Buffer.from(value, 'utf8');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
