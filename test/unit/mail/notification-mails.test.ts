import type { CommentRecord } from '../../../lambda/domain/comment';
import {
  heldCommentsMail,
  type MailSettings,
  repliesDigestMail,
  replyMail,
} from '../../../lambda/domain/notification-mails';
import { commentRecord } from '../store/comment-fixtures';

const SETTINGS: MailSettings = {
  siteName: 'News Site',
  articleUrlTemplate: 'https://news.example/{articleId}',
  apiUrl: 'https://api.news.example',
  moderatorEmails: ['moderator@news.example'],
  digestSeconds: 300,
};

/** Arabic with an English word in it, then a second paragraph in English. */
const BODY = 'أحببت مقال Talkback كثيرا\n\nThanks for writing it.';
const reply: CommentRecord = commentRecord({
  authorName: 'سارة',
  body: BODY,
  status: 'published',
});

/** Each paragraph of the comment's text as the HTML part carries it. */
const paragraphs = (html: string) => [...html.matchAll(/<p dir="auto"[^>]*>([^<]*)<\/p>/g)];

describe('HTML mail: right-to-left text', () => {
  it.each([
    [
      'a reply notification',
      replyMail(SETTINGS, {
        key: 'k',
        to: 'a@b.example',
        parent: reply,
        reply,
        unsubscribeUrl: 'https://u.example',
      }).html,
    ],
    [
      'a replies digest',
      repliesDigestMail(SETTINGS, {
        key: 'k',
        to: 'a@b.example',
        replies: [reply],
        unsubscribeUrl: 'https://u.example',
      }).html,
    ],
    [
      'a moderators’ notice',
      heldCommentsMail(SETTINGS, {
        key: 'k',
        to: 'm@b.example',
        held: [{ comment: reply, approveUrl: 'https://a.example', spamUrl: 'https://s.example' }],
      }).html,
    ],
  ])('gives each paragraph of %s an automatic direction, and the name its own', (_case, html) => {
    expect(paragraphs(html).map((match) => match[1])).toEqual([
      'أحببت مقال Talkback كثيرا',
      'Thanks for writing it.',
    ]);
    expect(html).toContain('<bdi>سارة</bdi>');
  });
});

describe('Held-comment mail: who wrote it', () => {
  const held = (email: string | undefined) =>
    heldCommentsMail(SETTINGS, {
      key: 'k',
      to: 'm@b.example',
      held: [
        {
          comment: commentRecord({ authorName: 'Demo Subscriber', email, status: 'pending' }),
          approveUrl: 'https://a.example',
          spamUrl: 'https://s.example',
        },
      ],
    });

  it('gives the author and their address', () => {
    const mail = held('ada@reader.example');
    expect(mail.text).toContain('From: Demo Subscriber <ada@reader.example>');
    expect(mail.html).toContain('&lt;ada@reader.example&gt;');
  });

  it('gives no empty brackets for an author without an address (a reader signed in without one)', () => {
    const mail = held(undefined);
    expect(mail.text).toContain('From: Demo Subscriber (no email)\n');
    expect(mail.text).not.toContain('<>');
    expect(mail.html).not.toContain('&lt;&gt;');
  });
});
