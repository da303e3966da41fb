/** The mail sender's SES side of the composition root (mail-runtime.ts has the rest). */
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { type Clock, systemClock } from '../domain/ids';
import type { MailSender } from '../domain/mail';
import { required } from './mail-runtime';
import { MAIL_CONFIGURATION_SET_ENV, MAIL_FROM_ENV } from './mail-settings';
import { sesSender } from './ses-sender';

/** The sender address's domain names the Message-IDs. */
export function loadMailSender(
  env: NodeJS.ProcessEnv = process.env,
  clock: Clock = systemClock,
): MailSender {
  const from = required(env, MAIL_FROM_ENV);
  return sesSender(new SESv2Client({}), {
    from,
    messageIdDomain: from.replace(/^.*@/, '').replace(/>.*$/, ''),
    configurationSetName: required(env, MAIL_CONFIGURATION_SET_ENV),
    clock,
  });
}
