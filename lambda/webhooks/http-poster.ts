/**
 * Delivers a webhook or Slack message: one POST, cancelled after DELIVERY_TIMEOUT_MS, never
 * following a redirect (an endpoint answers where it was asked), and a failure unless the answer
 * is 2xx. The error names the answer's status or the failure, never the URL (a Slack URL is a
 * secret) nor the body.
 */
import type { Poster } from '../domain/webhooks';

/** An endpoint that has not answered in this time is tried again later. */
export const DELIVERY_TIMEOUT_MS = 10_000;

export class DeliveryFailedError extends Error {
  override name = 'DeliveryFailedError';
  constructor(readonly reason: string) {
    super(`the endpoint did not take the delivery (${reason})`);
  }
}

export function httpPoster(post: typeof fetch = fetch, timeoutMs = DELIVERY_TIMEOUT_MS): Poster {
  return async (url, body, headers) => {
    let response: Response;
    try {
      response = await post(url, {
        method: 'POST',
        headers: { 'user-agent': 'Talkback-Webhooks', ...headers },
        body,
        redirect: 'error',
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const name = error instanceof Error ? error.name : typeof error;
      throw new DeliveryFailedError(name);
    }
    // Read to the end, so the connection can be reused; what it says is not needed.
    await response.arrayBuffer().catch(() => undefined);
    if (!response.ok) throw new DeliveryFailedError(`status ${response.status}`);
  };
}
