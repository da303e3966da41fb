/** Client-side checks that mirror the server's rules (the contract in docs/api.md) with the limits from GET /config. */
import type { FieldError, Limits, NewComment } from '../shared/api';
import { safeHttpUrl } from '../shared/dom';
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

  const problem = checkBody(body, limits, comment);
  if (problem) fail('body', problem);
  return errors;
}

/** What is wrong with a comment's text (sent inside `request`), or null when nothing is. */
export function checkBody(body: string, limits: Limits, request: unknown): string | null {
  if (!body) return strings.isRequired;
  if (codePoints(body) > limits.bodyMaxChars) return strings.tooLong(limits.bodyMaxChars);
  if (CONTROL.test(body.replace(/[\t\n\r]/g, ''))) return strings.controlCharacters;
  if (new TextEncoder().encode(JSON.stringify(request)).length > limits.requestBodyMaxBytes) {
    return strings.tooLarge;
  }
  return null;
}
