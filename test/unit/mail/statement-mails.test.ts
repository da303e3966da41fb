/**
 * Statements of reasons (DSA Art. 17): when one is called for, what it says (the decision, the
 * ground, automated means, how to contest), and what it never says (anyone else's address, a
 * reporter).
 */
import type { MailSettings } from '../../../lambda/domain/notification-mails';
import { parseSettings } from '../../../lambda/domain/settings';
import {
  type DecidedComment,
  statementDecision,
  statementMail,
} from '../../../lambda/domain/statements';
import { commentRecord } from '../store/comment-fixtures';

const SETTINGS: MailSettings = {
  siteName: 'News Site',
  articleUrlTemplate: 'https://news.example/{articleId}',
  apiUrl: 'https://api.news.example',
  moderatorEmails: ['moderator@news.example'],
  digestSeconds: 300,
};
const DECISIONS = parseSettings({
  decisions: {
    grounds: [
      { id: 'abuse', text: 'House rule 2: no personal attacks' },
      { id: 'hate', text: 'Illegal hate speech', illegal: 'hate speech' },
    ],
    contact: 'appeals@news.example',
  },
}).decisions;
const AT = '2026-11-26T21:20:00.000Z';
const NOW_MS = Date.parse(AT) + 60_000;

function decided(
  overrides: Partial<DecidedComment> = {},
  decision: Partial<DecidedComment['decision']> = {},
): DecidedComment {
  return {
    ...commentRecord({
      status: 'spam',
      email: 'author@reader.example',
      body: 'I <b>think</b> so.',
    }),
    ...overrides,
    decision: {
      from: 'published',
      to: 'spam',
      at: AT,
      unpinned: false,
      grantedAuthor: false,
      ground: 'abuse',
      ...decision,
    },
  };
}

/** Every address in a text. */
const addresses = (text: string) => [...text.matchAll(/[\w.+-]+@[\w.-]+\.\w+/g)].map((m) => m[0]);

describe('statementMail', () => {
  it('gives the decision, its ground, no automated means, and how to contest it', () => {
    const mail = statementMail(SETTINGS, DECISIONS, {
      to: 'author@reader.example',
      comment: decided(),
    });
    expect(mail.to).toBe('author@reader.example');
    expect(mail.subject).toBe('News Site: your comment was removed');
    expect(mail.key).toBe(`statement:${decided().commentId}:${AT}`);
    expect(mail.text).toContain('on https://news.example/russia-north-korea-ties:');
    expect(mail.text).toContain('Decision: your comment was removed: it is no longer shown');
    expect(mail.text).toContain('When: 2026-11-26 21:20 UTC');
    expect(mail.text).toContain('Ground: House rule 2: no personal attacks');
    expect(mail.text).toContain('Automated means: No: a moderator took this decision');
    expect(mail.text).toContain(
      'How to contest it: To contest this decision, write to appeals@news.example',
    );
    expect(mail.text).toContain('Article 17 of the EU Digital Services Act');
    expect(mail.html).toContain('<dt>Ground</dt><dd>House rule 2: no personal attacks</dd>');
    // The author's own text, escaped in the HTML part.
    expect(mail.html).toContain('I &lt;b&gt;think&lt;/b&gt; so.');
    expect(mail.html).not.toContain('<b>think');
  });

  it('names the category of illegal content, and the reports that hid the comment', () => {
    const comment = decided(
      { holdReasons: ['reported'] },
      { from: 'pending', to: 'pending', ground: 'hate' },
    );
    const mail = statementMail(SETTINGS, DECISIONS, { to: 'author@reader.example', comment });
    expect(mail.subject).toBe('News Site: your comment was hidden');
    expect(mail.text).toContain(
      'Ground: Illegal hate speech (illegal content, category: hate speech)',
    );
    expect(mail.text).toContain(
      "Automated means: Yes: readers' reports reached this site's threshold",
    );
  });

  it("says to use the site's usual contact when the deployment gives none", () => {
    const decisions = parseSettings({}).decisions;
    const mail = statementMail(SETTINGS, decisions, {
      to: 'author@reader.example',
      comment: decided({}, { ground: 'spam' }),
    });
    expect(mail.text).toContain('Ground: Spam or advertising (house rules)');
    expect(mail.text).toContain("reply through News Site's usual contact");
  });

  it("carries no one's address but the contact's: not the author's, a moderator's nor a reporter's", () => {
    const comment = decided({ holdReasons: ['reported'], reportCount: 3 }, { from: 'pending' });
    const mail = statementMail(SETTINGS, DECISIONS, { to: 'author@reader.example', comment });
    expect(addresses(`${mail.subject}\n${mail.text}\n${mail.html}`).sort()).toEqual([
      'appeals@news.example',
      'appeals@news.example',
    ]);
    expect(`${mail.text}${mail.html}`).not.toMatch(/reporter|notifier|reported by/i);
  });
});

describe('statementDecision', () => {
  it('calls for a statement for a decision with a ground on a comment with an email', () => {
    expect(statementDecision(decided(), NOW_MS)).toBeDefined();
  });

  it.each([
    ['no ground (not a removal of published content)', decided({}, { ground: undefined as never })],
    ['no email (erased, or a staff comment)', decided({ email: null })],
    ['an imported comment', decided({ imported: true })],
    ['a comment changed since (the decision replaced)', decided({ status: 'published' })],
  ])('calls for none on %s', (_case, comment) => {
    expect(statementDecision(comment, NOW_MS)).toBeUndefined();
  });

  it('calls for none about a decision older than the sender remembers', () => {
    expect(statementDecision(decided(), Date.parse(AT) + 31 * 86_400_000)).toBeUndefined();
  });
});
