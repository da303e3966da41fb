/**
 * Sends composed messages through Amazon SES v2 as raw MIME, so the List-Unsubscribe headers and
 * both parts reach the recipient exactly as composed (and exactly as the local outbox shows them).
 * The configuration set routes bounces and complaints to the account's suppression list.
 */
import { type SESv2Client, SESv2ServiceException, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { MailNotSentError, type MailSender, type OutgoingMail } from '../domain/mail';
import { type ComposeOptions, composeMail } from './compose';

export interface SesSenderOptions extends Omit<ComposeOptions, 'now'> {
  configurationSetName: string;
  clock: () => number;
}

export function sesSender(client: SESv2Client, options: SesSenderOptions): MailSender {
  return {
    async send(mail: OutgoingMail) {
      const raw = await composeMail(mail, { ...options, now: new Date(options.clock()) });
      try {
        await client.send(
          new SendEmailCommand({
            FromEmailAddress: options.from,
            Destination: { ToAddresses: [mail.to] },
            Content: { Raw: { Data: raw } },
            ConfigurationSetName: options.configurationSetName,
          }),
        );
      } catch (error) {
        // SES answered with an error: it did not take the message, so a retry cannot duplicate
        // it. A timeout or a lost connection is not this: SES may have sent it.
        if (error instanceof SESv2ServiceException) throw new MailNotSentError(error.name);
        throw error;
      }
    },
  };
}
