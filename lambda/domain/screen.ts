/**
 * The screen: step 4 of the create and edit paths. House rules first (in-process, free), then,
 * where the deployment turns one on, a content screen behind a port (Bedrock Guardrails on AWS),
 * bounded in time. Its verdict is publish, hold with reasons, or spam. A content screen that
 * fails or runs out of time holds the comment for a human (`screen:unavailable`): where screening
 * is on, a fault never publishes unscreened text and never loses a comment.
 */

import {
  type DisposableCheck,
  type EmailDomainRules,
  emailDomainVerdict,
  type PhraseMatcher,
} from './house-rules';
import type { Disposition } from './moderation';

export type ScreenVerdict =
  | { action: 'publish' }
  /** `scores`: the content screen's labels and how sure it was of each (`screen:<label>`). */
  | { action: 'hold'; reasons: string[]; scores?: Record<string, string> }
  | { action: 'spam'; reasons: string[] };

/** What a content screen reads: the text a reader would see, never the email. */
export interface ScreenInput {
  articleId: string;
  authorName: string;
  body: string;
}

/** The port: a content screen (Bedrock Guardrails, a moderation hook), cancelled by `signal`. */
export type ContentScreen = (input: ScreenInput, signal: AbortSignal) => Promise<ScreenVerdict>;

export interface Screening {
  phrases: PhraseMatcher;
  emailDomains: EmailDomainRules;
  isDisposable: DisposableCheck;
  content?: ContentScreen;
  /** How long the content screen may take before the comment is held. */
  timeoutMs: number;
}

export const SCREEN_UNAVAILABLE = 'screen:unavailable';

/** The email's domain is one the deployment refuses (a disposable address, where refused). */
export class RefusedEmailError extends Error {
  override name = 'RefusedEmailError';
  constructor() {
    super('the email address is from a disposable-address service');
  }
}

const PUBLISH: ScreenVerdict = { action: 'publish' };
const UNAVAILABLE: ScreenVerdict = { action: 'hold', reasons: [SCREEN_UNAVAILABLE] };

/** The content screen within its time; a failure, a timeout or a malformed verdict holds. */
async function bounded(
  screen: ContentScreen,
  input: ScreenInput,
  timeoutMs: number,
): Promise<ScreenVerdict> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<ScreenVerdict>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve(UNAVAILABLE);
    }, timeoutMs);
  });
  try {
    return await Promise.race([screen(input, controller.signal).catch(() => UNAVAILABLE), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** House rules on the phrases (and the email's domain when given), then the content screen. */
export async function screen(
  screening: Screening,
  input: ScreenInput & { email: string | null },
): Promise<ScreenVerdict> {
  const domain = await emailDomainVerdict(
    input.email,
    screening.emailDomains,
    screening.isDisposable,
  );
  if (domain.action === 'refuse') throw new RefusedEmailError();
  if (domain.action === 'block') return { action: 'spam', reasons: [domain.reason] };
  const matches = screening.phrases.find(`${input.authorName}\n${input.body}`);
  const blocked = matches.find((match) => match.action === 'block');
  if (blocked) return { action: 'spam', reasons: [blocked.reason] };
  const reasons = [
    ...(domain.action === 'hold' ? [domain.reason] : []),
    ...matches.map((match) => match.reason),
  ];
  // A comment already held waits for a human anyway: the paid screen is not asked.
  if (reasons.length > 0) return { action: 'hold', reasons };
  if (!screening.content) return PUBLISH;
  const { articleId, authorName, body } = input;
  return bounded(screening.content, { articleId, authorName, body }, screening.timeoutMs);
}

/** What the comment is stored with: its disposition and, when the screen held it, why. */
export interface Screened<D extends Disposition> {
  disposition: D | 'pending' | 'spam';
  holdReasons?: string[];
  screenScores?: Record<string, string>;
}

/**
 * A comment's disposition (new, or after an edit) with the screen's verdict applied: spam and
 * hold override the moderation policy's answer; a comment already caught as spam (the honeypot)
 * is not screened.
 */
export async function screenComment<D extends Disposition>(
  screening: Screening,
  disposition: D,
  input: ScreenInput & { email: string | null },
): Promise<Screened<D>> {
  if (disposition === 'spam') return { disposition };
  const verdict = await screen(screening, input);
  switch (verdict.action) {
    case 'publish':
      return { disposition };
    case 'spam':
      return { disposition: 'spam', holdReasons: verdict.reasons };
    case 'hold':
      return {
        disposition: 'pending',
        holdReasons: verdict.reasons,
        ...(verdict.scores ? { screenScores: verdict.scores } : {}),
      };
  }
}
