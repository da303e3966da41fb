import type { Node } from 'constructs';
import * as v from 'valibot';
import { ContextError } from './settings-from-context';

/** Mail's context keys (docs/configuration.md, "Mail"). Without `mailFrom`, no mail resources. */
export interface MailContext {
  /** The verified SES identity mail comes from, e.g. `News Site <comments@news.example>`. */
  mailFrom: string;
  siteName: string;
  articleUrlTemplate: string;
  moderatorEmails: string[];
  consoleUrl?: string;
}

const ADDRESS = '[^<>@\\s"]+@[^<>@\\s"]+\\.[^<>@\\s"]+';
/** A bare address, or a display name and the address in angle brackets (RFC 5322's name-addr). */
const MAIL_FROM = new RegExp(`^(?:${ADDRESS}|(?:[^<>@]*[^<>@\\s]\\s*)?<${ADDRESS}>)$`);

const mailContextSchema = v.object({
  mailFrom: v.pipe(
    v.string(),
    v.regex(
      MAIL_FROM,
      'must be an address (comments@news.example) or a name and an address in angle brackets ("News Site <comments@news.example>")',
    ),
  ),
  siteName: v.pipe(
    v.string("is required with mailFrom: set siteName to the site's name"),
    v.minLength(1, "is required with mailFrom: set siteName to the site's name"),
  ),
  articleUrlTemplate: v.pipe(
    v.string(
      'is required with mailFrom: set it to an https URL containing {articleId}, like https://news.example/{articleId}',
    ),
    v.regex(/^https:\/\/.*\{articleId\}/, 'must be an https URL containing {articleId}'),
  ),
  moderatorEmails: v.optional(
    v.array(
      v.pipe(v.string(), v.email('must be email addresses')),
      'must be a JSON list of addresses, like ["mod@news.example"]',
    ),
    [],
  ),
  consoleUrl: v.optional(v.pipe(v.string(), v.url('must be a URL'))),
});

/** The mail context, checked, or undefined when `mailFrom` is not set (mail is off). */
export function mailContext(node: Node): MailContext | undefined {
  if (node.tryGetContext('mailFrom') === undefined) return undefined;
  const read = (key: string): unknown => {
    const value: unknown = node.tryGetContext(key);
    // `-c moderatorEmails='["a@b.example"]'` arrives as a string.
    if (key === 'moderatorEmails' && typeof value === 'string') {
      try {
        return JSON.parse(value);
      } catch {
        return value;
      }
    }
    return value;
  };
  const input = Object.fromEntries(
    Object.keys(mailContextSchema.entries).map((key) => [key, read(key)]),
  );
  const result = v.safeParse(mailContextSchema, input);
  if (!result.success) {
    const issue = result.issues[0];
    throw new ContextError(`Talkback context "${v.getDotPath(issue) ?? 'mail'}": ${issue.message}`);
  }
  return result.output;
}

/** The domain part of the sender: the SES identity the functions may send as. */
export function senderDomain(mailFrom: string): string {
  return mailFrom.replace(/^.*@/, '').replace(/>.*$/, '');
}
