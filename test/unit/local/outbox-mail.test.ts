import { decodeWords, readMessage } from '../../../bin/local/outbox-mail';
import { composeMail } from '../../../lambda/mail/compose';

describe('reading the outbox’s messages back', () => {
  it('decodes a composed message: its encoded subject, its quoted-printable text, and its links', async () => {
    const confirmUrl = `https://talkback.example/subscriptions/confirm?token=${'x'.repeat(120)}.sig`;
    const raw = await composeMail(
      {
        key: 'confirm:ingrid',
        to: 'Ingrid Ødegård <ingrid@example.org>',
        subject: 'Nyheter: Ingrid Ødegård svarte på kommentaren din',
        text: `Hei! Åpne lenken:\n${confirmUrl}\n(see https://news.example/a_(b)).`,
        html: '<p>Hei!</p>',
      },
      {
        from: '"Nyheter" <comments@news.example>',
        messageIdDomain: 'news.example',
        now: new Date('2026-12-07T23:40:12Z'),
      },
    );
    const text = raw.toString('utf8');
    // As sent: the subject encoded, the text quoted-printable.
    expect(text).toMatch(/^Subject: =\?UTF-8\?Q\?/m);
    expect(text).toContain('=3D');
    expect(readMessage('m.eml', text)).toEqual({
      file: 'm.eml',
      from: 'Nyheter <comments@news.example>',
      to: 'Ingrid Ødegård <ingrid@example.org>',
      subject: 'Nyheter: Ingrid Ødegård svarte på kommentaren din',
      date: new Date('2026-12-07T23:40:12Z'),
      text: `Hei! Åpne lenken:\n${confirmUrl}\n(see https://news.example/a_(b)).`,
      links: [confirmUrl, 'https://news.example/a_(b)'],
    });
  });

  it.each([
    ['=?UTF-8?Q?=C3=98deg=C3=A5rd_svarte?=', 'Ødegård svarte'],
    ['=?UTF-8?B?w5hkZWfDpXJk?= =?UTF-8?Q?_svarte?=', 'Ødegård svarte'],
    ['plain words', 'plain words'],
  ])('decodes the header words %s', (encoded, decoded) => {
    expect(decodeWords(encoded)).toBe(decoded);
  });
});
