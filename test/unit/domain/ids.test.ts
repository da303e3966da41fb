import { ulid, ulidGenerator, ulidTime } from '../../../lambda/domain/ids';

const CROCKFORD = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const NOW = Date.UTC(2026, 10, 26, 21, 19, 0, 0);

describe('ulid', () => {
  it('is 26 characters of Crockford base32', () => {
    expect(ulid(NOW)).toMatch(CROCKFORD);
  });

  it('encodes the time in the first 10 characters', () => {
    expect(ulid(0, Buffer.alloc(10))).toBe('0'.repeat(26));
    expect(ulid(1, Buffer.alloc(10)).slice(0, 10)).toBe('0000000001');
    expect(ulid(32, Buffer.alloc(10)).slice(0, 10)).toBe('0000000010');
  });

  it('encodes 80 random bits in the last 16 characters', () => {
    expect(ulid(0, Buffer.alloc(10, 0xff)).slice(10)).toBe('Z'.repeat(16));
    expect(ulid(0, Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 1])).slice(10)).toBe('0000000000000001');
  });

  it('differs between calls at the same millisecond', () => {
    const ids = new Set(Array.from({ length: 100 }, () => ulidGenerator(NOW)));
    expect(ids.size).toBe(100);
  });

  it('sorts by time as text', () => {
    const times = [0, 1, 31, 32, 1000, 2 ** 40, NOW - 1, NOW, NOW + 1, 2 ** 48 - 1];
    const ids = [...times].reverse().map((time) => ulid(time));
    expect([...ids].sort().map(ulidTime)).toEqual(times);
  });
});

describe('ulidTime', () => {
  it.each([0, 1, 1234567890123, NOW, 2 ** 48 - 1])('reads back the time %d', (time) => {
    expect(ulidTime(ulid(time))).toBe(time);
  });

  it('reads the time of a known ULID', () => {
    expect(new Date(ulidTime('01ARZ3NDEKTSV4RRFFQ69G5FAV')).toISOString()).toBe(
      '2016-07-30T23:54:10.259Z',
    );
  });

  it.each(['01ARZ3NDEI', 'ULID-IS-NO', '01arz3ndek'])('rejects %s', (id) => {
    expect(() => ulidTime(id)).toThrow(RangeError);
  });
});
