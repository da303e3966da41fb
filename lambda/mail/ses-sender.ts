/**
 * Sends composed messages through Amazon SES v2 as raw MIME, so the List-Unsubscribe headers and
 * both parts reach the recipient exactly as composed (and exactly as the local outbox shows them).
 * The configuration set routes bounces and complaints to the account's suppression list.
 */
import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { MailSender, OutgoingMail } from '../domain/mail';
import { type ComposeOptions, composeMail } from './compose';

export interface SesSenderOptions extends Omit<ComposeOptions, 'now'> {
  configurationSetName: string;
  clock: () => number;
}

export function sesSender(client: SESv2Client, options: SesSenderOptions): MailSender {
  return {
    async send(mail: OutgoingMail) {
      const raw = await composeMail(mail, { ...options, now: new Date(options.clock()) });
      await client.send(
        new SendEmailCommand({
          FromEmailAddress: options.from,
          Destination: { ToAddresses: [mail.to] },
          Content: { Raw: { Data: raw } },
          ConfigurationSetName: options.configurationSetName,
        }),
      );
    },
  };
}
