import { clientAddress } from '../../../lambda/http/request';
import { httpEvent } from '../../support/events';

const VERIFY = 'a-random-value-cloudformation-generated';
const EDGE = '130.176.0.10';

function through(headers: Record<string, string>) {
  return httpEvent('POST', '/articles/a/comments', { headers, sourceIp: EDGE });
}

describe('clientAddress', () => {
  it('is the viewer IPv4 address when CloudFront proves itself', () => {
    const event = through({
      'x-talkback-origin-verify': VERIFY,
      'cloudfront-viewer-address': '198.51.100.20:50123',
    });
    expect(clientAddress(event, VERIFY)).toBe('198.51.100.20');
  });

  it('takes the port after the last colon of an IPv6 viewer address', () => {
    const event = through({
      'X-Talkback-Origin-Verify': VERIFY,
      'CloudFront-Viewer-Address': '2001:db8::1:443',
    });
    expect(clientAddress(event, VERIFY)).toBe('2001:db8::1');
  });

  it.each([
    ['no verify header', { 'cloudfront-viewer-address': '198.51.100.20:1' }],
    [
      'a wrong verify value',
      { 'x-talkback-origin-verify': `${VERIFY}x`, 'cloudfront-viewer-address': '198.51.100.20:1' },
    ],
    [
      'a wrong verify value of the same length',
      {
        'x-talkback-origin-verify': VERIFY.replace(/.$/, '!'),
        'cloudfront-viewer-address': '198.51.100.20:1',
      },
    ],
  ])('is the source address with %s', (_, headers: Record<string, string>) => {
    expect(clientAddress(through(headers), VERIFY)).toBe(EDGE);
  });

  it('is the source address when no value is configured, whatever the headers say', () => {
    const event = through({
      'x-talkback-origin-verify': VERIFY,
      'cloudfront-viewer-address': '198.51.100.20:1',
    });
    expect(clientAddress(event, undefined)).toBe(EDGE);
  });

  it.each(['', '198.51.100.20', 'not-an-ip:443', '198.51.100.20:port', ':443', '999.1.1.1:443'])(
    'is the source address for the malformed viewer address %p',
    (viewer) => {
      const event = through({
        'x-talkback-origin-verify': VERIFY,
        'cloudfront-viewer-address': viewer,
      });
      expect(clientAddress(event, VERIFY)).toBe(EDGE);
    },
  );
});
