/**
 * The screen: step 4 of the create and edit paths. House rules first (in-process, free), then,
 * where the deployment turns them on, a content screen (Bedrock Guardrails on AWS) and the site's
 * moderation hook, each behind a port and asked at once, within one time bound. Its verdict is
 * publish, hold with reasons, or spam. A screen that fails or runs out of time holds the comment
 * for a human (`screen:unavailable`): where screening is on, a fault never publishes unscreened
 * text and never loses a comment.
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
  /** The comment's id (a new one's is chosen before it is screened), its parent, and whether it is an edit. */
  commentId?: string;
  parentId?: string | null;
  edit?: boolean;
}

/** The port: a content screen (Bedrock Guardrails), cancelled by `signal`. */
export type ContentScreen = (input: ScreenInput, signal: AbortSignal) => Promise<ScreenVerdict>;

/**
 * The port of the site's moderation hook: it is handed the email too, which it sends only where
 * the deployment opted in (screen/moderation-hook.ts).
 */
export type HookScreen = (
  input: ScreenInput & { email: string | null },
  signal: AbortSignal,
) => Promise<ScreenVerdict>;

/** The house rules as the screen uses them: compiled phrases and the email-domain rules. */
export interface CompiledRules {
  phrases: PhraseMatcher;
  emailDomains: EmailDomainRules;
}

export interface Screening {
  /**
   * The house rules in force: the console's, read at most once a minute (domain/rules-cache.ts
   * cachedRules), or the deployment's starting lists. A failed read holds the comment.
   */
  rules: () => Promise<CompiledRules>;
  isDisposable: DisposableCheck;
  content?: ContentScreen;
  hook?: HookScreen;
  /** How long the content screen and the hook may take before the comment is held. */
  timeoutMs: number;
}

export const SCREEN_UNAVAILABLE = 'screen:unavailable';
/** The reason a comment carries when the site's moderation hook held it or made it spam. */
export const HOOK_REASON = 'hook';

/** The email's domain is one the deployment refuses (a disposable address, where refused). */
export class RefusedEmailError extends Error {
  override name = 'RefusedEmailError';
  constructor() {
    super('the email address is from a disposable-address service');
  }
}

const PUBLISH: ScreenVerdict = { action: 'publish' };
const UNAVAILABLE: ScreenVerdict = { action: 'hold', reasons: [SCREEN_UNAVAILABLE] };

/** A screen within its time; a failure, a timeout or a malformed verdict holds. */
async function bounded<I>(
  screen: (input: I, signal: AbortSignal) => Promise<ScreenVerdict>,
  input: I,
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

/**
 * The verdicts of the house rules, the content screen and the hook as one: spam if any says spam,
 * else a hold with every reason given (and the content screen's scores), else publish.
 */
export function strongest(verdicts: readonly ScreenVerdict[]): ScreenVerdict {
  const spam = verdicts.filter((verdict) => verdict.action === 'spam');
  if (spam.length > 0)
    return { action: 'spam', reasons: [...new Set(spam.flatMap((v) => v.reasons))] };
  const holds = verdicts.filter((verdict) => verdict.action === 'hold');
  if (holds.length === 0) return PUBLISH;
  const scores = Object.assign({}, ...holds.map((verdict) => verdict.scores ?? {}));
  return {
    action: 'hold',
    reasons: [...new Set(holds.flatMap((verdict) => verdict.reasons))],
    ...(Object.keys(scores).length > 0 ? { scores } : {}),
  };
}

/**
 * House rules on the phrases (and the email's domain when given), then the content screen and the
 * moderation hook together, within the one time bound. A comment the house rules make spam goes no
 * further; one they hold is not sent to the paid content screen, but the hook, the site's own
 * moderation, still sees it (it may make it spam).
 */
export async function screen(
  screening: Screening,
  input: ScreenInput & { email: string | null },
): Promise<ScreenVerdict> {
  let rules: CompiledRules;
  try {
    rules = await screening.rules();
  } catch {
    // No rules to screen with (the table could not be read): a human reads it.
    return UNAVAILABLE;
  }
  const domain = await emailDomainVerdict(input.email, rules.emailDomains, screening.isDisposable);
  if (domain.action === 'refuse') throw new RefusedEmailError();
  if (domain.action === 'block') return { action: 'spam', reasons: [domain.reason] };
  const matches = rules.phrases.find(`${input.authorName}\n${input.body}`);
  const blocked = matches.find((match) => match.action === 'block');
  if (blocked) return { action: 'spam', reasons: [blocked.reason] };
  const reasons = [
    ...(domain.action === 'hold' ? [domain.reason] : []),
    ...matches.map((match) => match.reason),
  ];
  const house: ScreenVerdict = reasons.length > 0 ? { action: 'hold', reasons } : PUBLISH;
  const { email, ...text } = input;
  const asked: Promise<ScreenVerdict>[] = [];
  // A comment already held waits for a human anyway: the paid screen is not asked.
  if (screening.content && house.action === 'publish') {
    asked.push(bounded(screening.content, text, screening.timeoutMs));
  }
  if (screening.hook) asked.push(bounded(screening.hook, { ...text, email }, screening.timeoutMs));
  return strongest([house, ...(await Promise.all(asked))]);
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
