import { ServiceBusyError } from '../../../lambda/domain/errors';
import type { EmailDomainRules } from '../../../lambda/domain/house-rules';
import { cachedRules } from '../../../lambda/domain/rules-cache';
import {
  type ContentScreen,
  RefusedEmailError,
  type Screening,
  screenComment,
} from '../../../lambda/domain/screen';
import { parseSettings } from '../../../lambda/domain/settings';
import { MemoryRules } from '../fakes';
import { houseRulesScreening, SCREENED_COMMENT } from '../screen/support';

const input = SCREENED_COMMENT;

/** Disposable addresses held, spam.example blocked. */
function screening(
  overrides: Partial<Screening> & { emailDomains?: EmailDomainRules } = {},
): Screening {
  return houseRulesScreening({
    emailDomains: { disposable: 'hold', hold: [], block: ['spam.example'] },
    isDisposable: async (domain) => domain === 'mailinator.com',
    ...overrides,
  });
}

describe('screenComment', () => {
  it('leaves the disposition alone when nothing is found', async () => {
    await expect(screenComment(screening(), 'published-if-known', input)).resolves.toEqual({
      disposition: 'published-if-known',
    });
  });

  it('holds a comment with a hold phrase, giving the rule', async () => {
    await expect(
      screenComment(screening(), 'published', { ...input, body: 'You 1d10t.' }),
    ).resolves.toEqual({ disposition: 'pending', holdReasons: ['rule:idiot'] });
  });

  it('reads the author name as well as the body', async () => {
    await expect(
      screenComment(screening(), 'published', { ...input, authorName: 'Cheap Pills' }),
    ).resolves.toEqual({ disposition: 'spam', holdReasons: ['rule:cheap-pills'] });
  });

  it('makes spam of a comment from a blocked domain', async () => {
    await expect(
      screenComment(screening(), 'published', { ...input, email: 'x@spam.example' }),
    ).resolves.toEqual({ disposition: 'spam', holdReasons: ['email-domain:spam.example'] });
  });

  it('holds a disposable address with the phrases it carries', async () => {
    await expect(
      screenComment(screening(), 'published', {
        ...input,
        email: 'x@mailinator.com',
        body: 'idiot',
      }),
    ).resolves.toEqual({
      disposition: 'pending',
      holdReasons: ['email-domain:disposable', 'rule:idiot'],
    });
  });

  it('refuses a disposable address where the deployment refuses them, before anything else', async () => {
    const refusing = screening({ emailDomains: { disposable: 'refuse', hold: [], block: [] } });
    await expect(
      screenComment(refusing, 'published', { ...input, email: 'x@mailinator.com' }),
    ).rejects.toBeInstanceOf(RefusedEmailError);
  });

  it('holds for a human when the house rules cannot be read, never publishing unscreened', async () => {
    const unreadable = screening({
      rules: async () => {
        throw new ServiceBusyError('throttled');
      },
    });
    await expect(screenComment(unreadable, 'published', input)).resolves.toEqual({
      disposition: 'pending',
      holdReasons: ['screen:unavailable'],
    });
  });

  it('screens with the rules in force at each comment', async () => {
    const store = new MemoryRules();
    const edited = { ...screening(), rules: cachedRules(store, parseSettings({}), () => 0, 0) };
    await expect(screenComment(edited, 'published', input)).resolves.toEqual({
      disposition: 'published',
    });
    await store.writeRules(
      { hold: ['fine'], block: [], emailDomains: { disposable: 'allow', hold: [], block: [] } },
      1,
      'now',
    );
    await expect(screenComment(edited, 'published', input)).resolves.toEqual({
      disposition: 'pending',
      holdReasons: ['rule:fine'],
    });
  });

  it('does not screen a comment already caught as spam', async () => {
    const content = jest.fn<ReturnType<ContentScreen>, Parameters<ContentScreen>>();
    await expect(
      screenComment(screening({ content }), 'spam', { ...input, body: 'idiot' }),
    ).resolves.toEqual({ disposition: 'spam' });
    expect(content).not.toHaveBeenCalled();
  });

  describe('with a content screen', () => {
    it('asks it with the text a reader would see, never the email', async () => {
      const content = jest.fn<ReturnType<ContentScreen>, Parameters<ContentScreen>>(async () => ({
        action: 'publish',
      }));
      await screenComment(screening({ content }), 'published', input);
      expect(content).toHaveBeenCalledWith(
        { articleId: 'a-1', authorName: 'Ada', body: 'A fine comment.' },
        expect.any(AbortSignal),
      );
    });

    it('holds with its labels and scores', async () => {
      const content: ContentScreen = async () => ({
        action: 'hold',
        reasons: ['screen:insults'],
        scores: { insults: 'HIGH' },
      });
      await expect(screenComment(screening({ content }), 'published', input)).resolves.toEqual({
        disposition: 'pending',
        holdReasons: ['screen:insults'],
        screenScores: { insults: 'HIGH' },
      });
    });

    it('is not asked (nor paid) when a house rule already holds the comment', async () => {
      const content = jest.fn<ReturnType<ContentScreen>, Parameters<ContentScreen>>();
      await screenComment(screening({ content }), 'published', { ...input, body: 'idiot' });
      expect(content).not.toHaveBeenCalled();
    });

    it('holds for a human when the screen fails', async () => {
      const content: ContentScreen = async () => {
        throw new Error('ThrottlingException');
      };
      await expect(screenComment(screening({ content }), 'published', input)).resolves.toEqual({
        disposition: 'pending',
        holdReasons: ['screen:unavailable'],
      });
    });

    it('holds for a human when the screen runs out of time, and cancels it', async () => {
      jest.useFakeTimers();
      try {
        let signal: AbortSignal | undefined;
        const content: ContentScreen = (_, given) => {
          signal = given;
          return new Promise(() => {});
        };
        const screened = screenComment(screening({ content }), 'published', input);
        await jest.advanceTimersByTimeAsync(999);
        expect(signal?.aborted).toBe(false);
        await jest.advanceTimersByTimeAsync(1);
        await expect(screened).resolves.toEqual({
          disposition: 'pending',
          holdReasons: ['screen:unavailable'],
        });
        expect(signal?.aborted).toBe(true);
      } finally {
        jest.useRealTimers();
      }
    });
  });
});
