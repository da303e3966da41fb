/** The console's words for why a comment waits (web/console/reasons.ts), outside the browser. */
import { reasonText } from '../../web/console/reasons';

describe('reasonText', () => {
  it.each([
    ['rule:kill-yourself', {}, 'House rule “kill yourself”'],
    ['email-domain:disposable', {}, 'Disposable email address'],
    ['email-domain:spam.example', {}, 'Email domain spam.example'],
    ['screen:insults', { insults: 'HIGH' }, 'Content screen: insults (high confidence)'],
    ['screen:guardrail', {}, 'Content screen: guardrail'],
    ['screen:unavailable', {}, 'Screen unavailable: held to be safe'],
    ['hook', {}, 'Your moderation hook'],
    ['reported', {}, 'Reported by readers'],
    ['first-time', {}, 'first-time'],
  ])('says %s as words', (reason, scores, text) => {
    expect(reasonText(reason, scores)).toBe(text);
  });
});
