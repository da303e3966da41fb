import {
  type ArticleSettings,
  closingTime,
  isOpen,
  secondsUnchanged,
  storedChange,
} from '../../../lambda/domain/article-settings';
import { NOW } from '../fakes';

const DAY = 86_400_000;
const at = (ms: number) => new Date(ms).toISOString();
const open: ArticleSettings = { closed: false };

describe('when an article closes', () => {
  it('never, without a closeAt or autoCloseDays', () => {
    expect(closingTime({ ...open, firstCommentAt: at(NOW - 100 * DAY) }, {})).toBeUndefined();
    expect(isOpen({ ...open, firstCommentAt: at(NOW - 100 * DAY) }, {}, NOW)).toBe(true);
  });

  it('autoCloseDays after its first comment', () => {
    const article = { ...open, firstCommentAt: at(NOW - 7 * DAY) };
    expect(closingTime(article, { autoCloseDays: 7 })).toBe(NOW);
    expect(isOpen(article, { autoCloseDays: 7 }, NOW - 1)).toBe(true);
    expect(isOpen(article, { autoCloseDays: 7 }, NOW)).toBe(false);
  });

  it('not by autoCloseDays before its first comment', () => {
    expect(closingTime(open, { autoCloseDays: 7 })).toBeUndefined();
  });

  it('at its own closeAt, earlier or later than autoCloseDays would', () => {
    const first = at(NOW - 7 * DAY);
    expect(
      closingTime({ ...open, firstCommentAt: first, closeAt: at(NOW + DAY) }, { autoCloseDays: 7 }),
    ).toBe(NOW + DAY);
    expect(
      closingTime(
        { ...open, firstCommentAt: first, closeAt: at(NOW - DAY) },
        { autoCloseDays: 30 },
      ),
    ).toBe(NOW - DAY);
  });

  it('not by autoCloseDays once a moderator kept it open', () => {
    const article = { ...open, firstCommentAt: at(NOW - 30 * DAY), keepOpen: true };
    expect(isOpen(article, { autoCloseDays: 7 }, NOW)).toBe(true);
  });

  it('at once when a moderator closed it, whatever its time', () => {
    expect(isOpen({ closed: true, closeAt: at(NOW + DAY) }, {}, NOW)).toBe(false);
  });
});

describe('how long an article stays as open as it is', () => {
  it('until its closing time, in whole seconds', () => {
    expect(secondsUnchanged({ ...open, closeAt: at(NOW + 4_500) }, {}, NOW)).toBe(4);
  });

  it('for good, when nothing closes it by time', () => {
    expect(secondsUnchanged(open, {}, NOW)).toBeUndefined();
  });

  it('for good, once closed: nothing reopens it by time', () => {
    expect(secondsUnchanged({ ...open, closeAt: at(NOW - 1) }, {}, NOW)).toBeUndefined();
    expect(secondsUnchanged({ closed: true, closeAt: at(NOW + DAY) }, {}, NOW)).toBeUndefined();
  });
});

describe('what an operator’s change stores', () => {
  it('closes and reopens', () => {
    expect(storedChange({ open: false }, open, {}, NOW)).toEqual({ closed: true });
    expect(storedChange({ open: true }, { closed: true }, {}, NOW)).toEqual({ closed: false });
  });

  it('sets or clears its settings; a new closeAt ends a kept-open article’s exemption', () => {
    expect(
      storedChange(
        { moderation: 'all', commenting: 'signed-in', closeAt: at(NOW + DAY) },
        open,
        {},
        NOW,
      ),
    ).toEqual({
      moderation: 'all',
      commenting: 'signed-in',
      closeAt: at(NOW + DAY),
      keepOpen: false,
    });
    expect(
      storedChange({ moderation: null, commenting: null, closeAt: null }, open, {}, NOW),
    ).toEqual({
      moderation: null,
      commenting: null,
      closeAt: null,
      keepOpen: false,
    });
  });

  it('keeps a reopened article open when its time has come: its closeAt goes, autoCloseDays no longer applies', () => {
    const passed = { closed: true, closeAt: at(NOW - DAY) };
    expect(storedChange({ open: true }, passed, {}, NOW)).toEqual({
      closed: false,
      closeAt: null,
      keepOpen: true,
    });
    // Its time is this very moment: closed already, so kept open too.
    expect(storedChange({ open: true }, { closed: false, closeAt: at(NOW) }, {}, NOW)).toEqual({
      closed: false,
      closeAt: null,
      keepOpen: true,
    });
    const autoClosed = { ...open, firstCommentAt: at(NOW - 8 * DAY) };
    expect(storedChange({ open: true }, autoClosed, { autoCloseDays: 7 }, NOW)).toEqual({
      closed: false,
      closeAt: null,
      keepOpen: true,
    });
  });

  it('leaves a future closeAt alone when reopening, and takes a closeAt given with it', () => {
    const later = { closed: true, closeAt: at(NOW + DAY) };
    expect(storedChange({ open: true }, later, {}, NOW)).toEqual({ closed: false });
    expect(storedChange({ open: true, closeAt: at(NOW + 2 * DAY) }, later, {}, NOW)).toEqual({
      closed: false,
      closeAt: at(NOW + 2 * DAY),
      keepOpen: false,
    });
  });
});
