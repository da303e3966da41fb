import { SESv2Client, SendEmailCommand, SendingPausedException } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { MailNotSentError, type OutgoingMail } from '../../../lambda/domain/mail';
import { composeMail } from '../../../lambda/mail/compose';
import { sesSender } from '../../../lambda/mail/ses-sender';

const ses = mockClient(SESv2Client);
const NOW = Date.parse('2026-12-01T10:00:00.000Z');
const OPTIONS = {
  from: 'comments@news.example',
  messageIdDomain: 'news.example',
  configurationSetName: 'talkback-mail',
  clock: () => NOW,
};
const MAIL: OutgoingMail = {
  key: 'confirm#abc',
  to: 'reader@example.com',
  subject: 'Confirm replies',
  text: 'Follow https://news.example/x',
  html: '<p>Follow</p>',
};

beforeEach(() => ses.reset());

describe('sesSender', () => {
  it('sends the composed message as raw MIME to the one recipient, in the configuration set', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
    await sesSender(new SESv2Client({}), OPTIONS).send(MAIL);
    const raw = await composeMail(MAIL, { ...OPTIONS, now: new Date(NOW) });
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 1);
    expect(ses).toHaveReceivedCommandWith(SendEmailCommand, {
      FromEmailAddress: 'comments@news.example',
      Destination: { ToAddresses: ['reader@example.com'] },
      Content: { Raw: { Data: raw } },
      ConfigurationSetName: 'talkback-mail',
    });
  });

  it('tells an answer from SES refusing the message as not sent, so it may be retried', async () => {
    ses
      .on(SendEmailCommand)
      .rejects(new SendingPausedException({ message: 'Sending paused', $metadata: {} }));
    const sent = sesSender(new SESv2Client({}), OPTIONS).send(MAIL);
    await expect(sent).rejects.toBeInstanceOf(MailNotSentError);
    await expect(sent).rejects.toThrow('SendingPausedException');
  });

  it('lets a failure with no answer from SES through unchanged: the message may have gone', async () => {
    const timeout = Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
    ses.on(SendEmailCommand).rejects(timeout);
    const sent = sesSender(new SESv2Client({}), OPTIONS).send(MAIL);
    await expect(sent).rejects.toBe(timeout);
  });
});
