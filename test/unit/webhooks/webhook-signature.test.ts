import { createHmac } from 'node:crypto';
import {
  REPLAY_WINDOW_SECONDS,
  signatureHeader,
  verifySignature,
} from '../../../lambda/domain/webhook-signature';

const SECRET = 'whsec-0123456789-0123456789-abcdef';
const BODY = '{"type":"comment.created","comment":{"body":"Grüße, «quoted»"}}';
/** 2026-12-07T12:00:00.000Z */
const NOW = Date.UTC(2026, 11, 7, 12, 0, 0);

describe('signatureHeader', () => {
  it('signs "<unix seconds>.<raw body>" with HMAC-SHA256, in hex', () => {
    const t = Math.floor(NOW / 1000);
    const v1 = createHmac('sha256', SECRET).update(`${t}.${BODY}`).digest('hex');
    expect(signatureHeader(SECRET, BODY, NOW + 999)).toBe(`t=${t},v1=${v1}`);
  });
});

describe('verifySignature', () => {
  const header = signatureHeader(SECRET, BODY, NOW);

  it('accepts the header for the same body and secret within the window', () => {
    expect(verifySignature(header, BODY, SECRET, NOW)).toBe(true);
    expect(verifySignature(header, BODY, SECRET, NOW + REPLAY_WINDOW_SECONDS * 1000)).toBe(true);
  });

  it.each([
    ['another body', header, `${BODY} `, SECRET, NOW],
    ['another secret', header, BODY, `${SECRET}x`, NOW],
    ['a replay after five minutes', header, BODY, SECRET, NOW + 301_000],
    ['a time from the future', header, BODY, SECRET, NOW - 301_000],
    ['no header', undefined, BODY, SECRET, NOW],
    ['no time', header.replace(/^t=\d+,/, ''), BODY, SECRET, NOW],
    [
      'a time changed by a second',
      header.replace(/^t=(\d+)/, (_, t) => `t=${Number(t) + 1}`),
      BODY,
      SECRET,
      NOW,
    ],
    ['a truncated signature', header.slice(0, -2), BODY, SECRET, NOW],
  ])('refuses %s', (_, given, body, secret, now) => {
    expect(verifySignature(given, body, secret, now)).toBe(false);
  });

  it('accepts a header carrying several v1 values when one matches (a secret being changed)', () => {
    const other = signatureHeader('another-secret-0123456789-0123456789', BODY, NOW);
    expect(verifySignature(`${other},${header.split(',')[1]}`, BODY, SECRET, NOW)).toBe(true);
  });
});
