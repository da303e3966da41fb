/** Client-side checks that mirror the server's rules (the contract in docs/api.md) with the limits from GET /config. */
import type { FieldError, Limits, NewComment } from '../shared/api';
import { safeHttpUrl } from '../shared/dom';
import { formStrings } from './form-strings';

const CONTROL = /\p{Cc}/u;
// Looser than the server on purpose: the server has the last word on what an address is.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const codePoints = (text: string) => Array.from(text).length;

export function checkComment(comment: NewComment, limits: Limits): FieldError[] {
  const errors: FieldError[] = [];
  const fail = (field: string, message: string) => errors.push({ field, message });
  const { name, email, website = '', body } = comment;

  if (!name) fail('name', formStrings().isRequired);
  else if (codePoints(name) > limits.nameMaxChars)
    fail('name', formStrings().tooLong(limits.nameMaxChars));
  else if (CONTROL.test(name)) fail('name', formStrings().controlCharacters);

  if (!email) fail('email', formStrings().isRequired);
  else if (email.length > limits.emailMaxChars)
    fail('email', formStrings().tooLong(limits.emailMaxChars));
  else if (!EMAIL.test(email)) fail('email', formStrings().badEmail);

  if (website.length > limits.websiteMaxChars) {
    fail('website', formStrings().tooLong(limits.websiteMaxChars));
  } else if (website && !safeHttpUrl(website)) fail('website', formStrings().badWebsite);

  const problem = checkBody(body, limits, comment);
  if (problem) fail('body', problem);
  return errors;
}

/** What is wrong with a comment's text (sent inside `request`), or null when nothing is. */
export function checkBody(body: string, limits: Limits, request: unknown): string | null {
  if (!body) return formStrings().isRequired;
  if (codePoints(body) > limits.bodyMaxChars) return formStrings().tooLong(limits.bodyMaxChars);
  if (CONTROL.test(body.replace(/[\t\n\r]/g, ''))) return formStrings().controlCharacters;
  if (new TextEncoder().encode(JSON.stringify(request)).length > limits.requestBodyMaxBytes) {
    return formStrings().tooLarge;
  }
  return null;
}
