/** Client-side checks that mirror the server's rules (the contract in docs/api.md) with the limits from GET /config. */
import type { FieldError, Limits, NewComment } from '../shared/api';
import { safeHttpUrl } from './core';
import { formStrings } from './form-strings';

const CONTROL = /\p{Cc}/u;
// Looser than the server on purpose: the server has the last word on what an address is.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const codePoints = (text: string) => Array.from(text).length;

export function checkComment(comment: NewComment, limits: Limits): FieldError[] {
  const errors: FieldError[] = [];
  const fail = (field: string, message: string) => errors.push({ field, message });
  const { name = '', email = '', website = '', body } = comment;
  // A signed-in reader's name and email are the token's, which the API checks.
  if (comment.reader) {
    // Nothing of a guest's to check.
  } else if (!name) fail('name', formStrings().isRequired);
  else if (codePoints(name) > limits.nameMaxChars)
    fail('name', formStrings().tooLong(limits.nameMaxChars));
  else if (CONTROL.test(name)) fail('name', formStrings().controlCharacters);

  if (comment.reader) {
    // As above.
  } else if (!email) fail('email', formStrings().isRequired);
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
  const cut = overBy(body, request, limits.requestBodyMaxBytes);
  return cut > 0 ? formStrings().tooLarge(cut) : null;
}

/**
 * How many characters (code points) must go from the end of `body` for `request`, sent as JSON
 * with it, to fit in `max` UTF-8 bytes: 0 when it fits. Text of many emoji (4 bytes each) can be
 * under the character limit and over the bytes.
 */
export function overBy(body: string, request: unknown, max: number): number {
  const size = (text: string) =>
    new TextEncoder().encode(JSON.stringify({ ...(request as object), body: text })).length;
  if (size(body) <= max) return 0;
  const points = Array.from(body);
  let fits = 0;
  let over = points.length;
  while (over - fits > 1) {
    const middle = Math.floor((fits + over) / 2);
    if (size(points.slice(0, middle).join('')) <= max) fits = middle;
    else over = middle;
  }
  return points.length - fits;
}
