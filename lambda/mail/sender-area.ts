/** The mail sender's SES side, apart so that no other bundle carries the MIME library. */
import { SESv2Client } from '@aws-sdk/client-sesv2';
import type { Foundation } from '../areas';
import type { MailSender } from '../domain/mail';
import { MAIL_CONFIGURATION_SET_ENV, MAIL_FROM_ENV, required } from '../env';
import { sesSender } from './ses-sender';

/** SES, from the sender's address, whose domain names the Message-IDs. */
export const mailSenderFrom = (base: Foundation): MailSender => {
  const from = required(base.env, MAIL_FROM_ENV);
  return sesSender(new SESv2Client({}), {
    from,
    messageIdDomain: from.replace(/^.*@/, '').replace(/>.*$/, ''),
    configurationSetName: required(base.env, MAIL_CONFIGURATION_SET_ENV),
    clock: base.clock,
  });
};
