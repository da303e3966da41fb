/**
 * What the domain asks of mail: one message to one recipient, as a plain-text and an HTML part.
 * Building the MIME and handing it to SES (on AWS) or to the outbox folder (locally) are
 * adapters in lambda/mail/ and bin/local/; the domain never sees either.
 */
export interface OutgoingMail {
  /**
   * Names this message for this recipient and event, the same on every redelivery: the sender's
   * at-most-once key, and the seed of the Message-ID.
   */
  key: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /**
   * RFC 8058 one-click unsubscribe: the https address that both the List-Unsubscribe header and
   * the visible link point to. Absent only on mail that is not a subscription (a confirmation
   * request, a moderator's notice).
   */
  unsubscribeUrl?: string;
}

/** Sends one composed message. */
export interface MailSender {
  send(mail: OutgoingMail): Promise<void>;
}

/**
 * The mail service answered that it did not take the message (a throttle, a paused account), so
 * sending it again cannot make a second copy. Any other failure leaves the outcome unknown.
 */
export class MailNotSentError extends Error {
  override name = 'MailNotSentError';
}
