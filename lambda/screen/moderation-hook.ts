/**
 * The site's own moderation hook (docs/screening.md, "Moderation hook"): each new or edited
 * comment is POSTed to its URL as JSON, signed (domain/webhook-signature.ts), and the answer
 * `{ "action": "publish" | "hold" | "spam" }` is its verdict, with the reason `hook`. Anything else
 * (a status other than 2xx, a redirect, a body that is not such JSON, a failure to connect) is a
 * failure, which the screen turns into a hold (`screen:unavailable`), as it does a hook that has
 * not answered within the screen's time bound: the signal cancels the request.
 */
import { HOOK_REASON, type HookScreen, type ScreenVerdict } from '../domain/screen';
import { SIGNATURE_HEADER, signatureHeader } from '../domain/webhook-signature';
import type { EndpointSecret } from '../webhooks/endpoint-secret';

export interface HookEndpoint {
  url: string;
  secret: EndpointSecret;
  /** Whether the commenter's email is sent: only where the deployment opted in. */
  includeEmail: boolean;
}

/** The answer is a verdict, a few bytes: anything much larger is not one. */
const MAX_ANSWER_BYTES = 16 * 1024;

export class HookAnswerError extends Error {
  override name = 'HookAnswerError';
}

/** The request's body: the comment as a reader would see it, and its email only if opted in. */
export function hookPayload(
  input: Parameters<HookScreen>[0],
  includeEmail: boolean,
  nowMs: number,
): string {
  return JSON.stringify({
    type: 'comment.screen',
    sentAt: new Date(nowMs).toISOString(),
    comment: {
      ...(input.commentId === undefined ? {} : { id: input.commentId }),
      articleId: input.articleId,
      parentId: input.parentId ?? null,
      author: { name: input.authorName, ...(includeEmail ? { email: input.email } : {}) },
      body: input.body,
      edit: input.edit === true,
    },
  });
}

function verdictOf(text: string): ScreenVerdict {
  let answer: unknown;
  try {
    answer = JSON.parse(text);
  } catch {
    throw new HookAnswerError('the answer is not JSON');
  }
  const action = (answer as { action?: unknown } | null)?.action;
  switch (action) {
    case 'publish':
      return { action: 'publish' };
    case 'hold':
    case 'spam':
      return { action, reasons: [HOOK_REASON] };
    default:
      throw new HookAnswerError('the answer has no action of publish, hold or spam');
  }
}

export function moderationHookScreen(
  endpoint: HookEndpoint,
  clock: () => number,
  post: typeof fetch = fetch,
): HookScreen {
  return async (input, signal) => {
    const secret = await endpoint.secret();
    const now = clock();
    const body = hookPayload(input, endpoint.includeEmail, now);
    const response = await post(endpoint.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Talkback-Moderation-Hook',
        [SIGNATURE_HEADER]: signatureHeader(secret, body, now),
      },
      body,
      // A redirect could take the comment elsewhere: the hook answers where it was asked.
      redirect: 'error',
      signal,
    });
    const text = await response.text();
    if (!response.ok) throw new HookAnswerError(`the hook answered ${response.status}`);
    if (Buffer.byteLength(text) > MAX_ANSWER_BYTES)
      throw new HookAnswerError('the answer is too long');
    return verdictOf(text);
  };
}
