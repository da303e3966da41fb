/** Client-side checks that mirror the server's rules (API.md) with the limits from GET /config. */
import type { FieldError, Limits, NewComment } from './api';
import { safeHttpUrl } from './dom';
import { strings } from './strings';

const CONTROL = /\p{Cc}/u;
// Looser than the server on purpose: the server has the last word on what an address is.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const codePoints = (text: string) => Array.from(text).length;

export function checkComment(comment: NewComment, limits: Limits): FieldError[] {
  const errors: FieldError[] = [];
  const fail = (field: string, message: string) => errors.push({ field, message });
  const { name, email, website = '', body } = comment;

  if (!name) fail('name', strings.isRequired);
  else if (codePoints(name) > limits.nameMaxChars)
    fail('name', strings.tooLong(limits.nameMaxChars));
  else if (CONTROL.test(name)) fail('name', strings.controlCharacters);

  if (!email) fail('email', strings.isRequired);
  else if (email.length > limits.emailMaxChars)
    fail('email', strings.tooLong(limits.emailMaxChars));
  else if (!EMAIL.test(email)) fail('email', strings.badEmail);

  if (website.length > limits.websiteMaxChars) {
    fail('website', strings.tooLong(limits.websiteMaxChars));
  } else if (website && !safeHttpUrl(website)) fail('website', strings.badWebsite);

  if (!body) fail('body', strings.isRequired);
  else if (codePoints(body) > limits.bodyMaxChars)
    fail('body', strings.tooLong(limits.bodyMaxChars));
  else if (CONTROL.test(body.replace(/[\t\n\r]/g, ''))) fail('body', strings.controlCharacters);
  else if (new TextEncoder().encode(JSON.stringify(comment)).length > limits.requestBodyMaxBytes) {
    fail('body', strings.tooLarge);
  }
  return errors;
}
