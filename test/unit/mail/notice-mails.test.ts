/**
 * A notifier's mails (DSA Art. 16): the receipt and the decision, what they say, and what they
 * never carry (the comment's author, their address, the comment's text).
 */
import type { NoticeRecord } from '../../../lambda/domain/notices';
import { noticeDecisionMail, noticeReceiptMail } from '../../../lambda/domain/notices';
import type { MailSettings } from '../../../lambda/domain/notification-mails';
import { parseSettings } from '../../../lambda/domain/settings';

const SETTINGS: MailSettings = {
  siteName: 'News Site',
  articleUrlTemplate: 'https://news.example/{articleId}',
  apiUrl: 'https://api.news.example',
  moderatorEmails: ['moderator@news.example'],
  digestSeconds: 300,
};
const DECISIONS = parseSettings({
  decisions: {
    grounds: [{ id: 'hate', text: 'Illegal hate speech', illegal: 'hate speech' }],
    contact: 'appeals@news.example',
  },
}).decisions;
const NOTICE: NoticeRecord & { email: string } = {
  articleId: 'lighthouse-keepers',
  commentId: '01KB0000000000000000000000',
  reporterHash: 'r1',
  reason: 'illegal',
  email: 'notifier@witness.example',
  receivedAt: '2026-11-26T21:00:00.000Z',
};
const addresses = (text: string) => [...text.matchAll(/[\w.+-]+@[\w.-]+\.\w+/g)].map((m) => m[0]);

describe('noticeReceiptMail', () => {
  it('tells the notifier their notice was received, once per notice', () => {
    const mail = noticeReceiptMail(SETTINGS, NOTICE);
    expect(mail).toMatchObject({
      key: 'notice-receipt:01KB0000000000000000000000:r1',
      to: 'notifier@witness.example',
      subject: 'News Site: we received your notice',
    });
    expect(mail.text).toContain(
      'received your notice of illegal content about a comment on https://news.example/lighthouse-keepers on 2026-11-26 21:00 UTC',
    );
    expect(addresses(`${mail.text}${mail.html}`)).toEqual([]);
  });
});

describe('noticeDecisionMail', () => {
  it('gives a removal with its ground and how to contest it', () => {
    const mail = noticeDecisionMail(
      SETTINGS,
      DECISIONS,
      { ...NOTICE, decision: 'spam', decidedAt: '2026-11-26T22:00:00.000Z' },
      'hate',
    );
    expect(mail.key).toBe('notice-decision:01KB0000000000000000000000:r1:2026-11-26T22:00:00.000Z');
    expect(mail.text).toContain(
      'The comment was removed. Ground: Illegal hate speech (illegal content, category: hate speech).',
    );
    expect(mail.text).toContain('Decided on 2026-11-26 22:00 UTC by a moderator.');
    expect(addresses(`${mail.text}\n${mail.html}`)).toEqual([
      'appeals@news.example',
      'appeals@news.example',
    ]);
  });

  it('says a deleted comment was removed', () => {
    const mail = noticeDecisionMail(
      SETTINGS,
      DECISIONS,
      { ...NOTICE, decision: 'removed', decidedAt: '2026-11-26T22:00:00.000Z' },
      undefined,
    );
    expect(mail.text).toContain('The comment was removed.');
  });

  it('says when the comment stays published', () => {
    const mail = noticeDecisionMail(
      SETTINGS,
      DECISIONS,
      { ...NOTICE, decision: 'published', decidedAt: '2026-11-26T22:00:00.000Z' },
      undefined,
    );
    expect(mail.text).toContain('The comment stays published');
  });
});
